CREATE TABLE "daily_job_claims" (
	"job" text NOT NULL,
	"day" date NOT NULL,
	"claimed_by" text NOT NULL,
	"claimed_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "daily_job_claims_job_day_pk" PRIMARY KEY("job","day")
);

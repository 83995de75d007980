/**
 * createApp(deps): middleware and route mounting, nothing else. Tests build it with their own
 * database; main.ts builds it with the process's.
 */
import { Hono } from "hono";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import { routePath } from "hono/route";
import { secureHeaders } from "hono/secure-headers";
import { ErrorPage, NotFoundPage } from "../views/errors.tsx";
import { assetRoutes } from "./routes/assets.ts";
import { authRoutes } from "./routes/auth.tsx";
import { learnerAccountRoutes } from "./routes/learner.tsx";
import { reviewRoutes } from "./routes/review.tsx";
import { settingsRoutes } from "./routes/settings.tsx";
import { schoolRoutes } from "./routes/school.tsx";
import { syncRoutes } from "./routes/sync.tsx";
import { type AppDeps, type AppEnv, renderPage } from "./routes/context.tsx";
import { errorFields } from "./lib/log.ts";
import { devRoutes } from "./routes/dev.tsx";
import { healthRoutes } from "./routes/health.ts";
import { limitBody, readableInput, UNREADABLE_FORM } from "./routes/input.tsx";
import { loadUser, noStore } from "./routes/middleware.ts";
import { overviewRoutes } from "./routes/overview.tsx";
import { classRoutes, learnerRoutes } from "./routes/roster.tsx";

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const publicOrigin = deps.config.publicUrl ? new URL(deps.config.publicUrl).origin : undefined;

  app.use(async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  app.use(noStore);
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      xFrameOptions: "DENY",
    }),
  );
  // Unsafe requests need a same-origin signal: Sec-Fetch-Site, or an Origin equal to ours.
  // Behind a TLS proxy the request URL says http while the browser says https, hence PUBLIC_URL.
  app.use(csrf({ origin: (origin, c) => origin === new URL(c.req.url).origin || origin === publicOrigin }));
  app.use(loadUser);
  // Before any route reads a body: too large is refused unread, a broken form is a 400 page.
  app.use(limitBody);
  app.use(readableInput);

  // Pages anyone may reach, then each area at its own prefix with its guard applied in its file.
  app.route("/", healthRoutes);
  app.route("/", assetRoutes);
  app.route("/", authRoutes);
  app.route("/", learnerAccountRoutes);
  app.route("/", overviewRoutes);
  app.route("/learners", learnerRoutes);
  app.route("/classes", classRoutes);
  app.route("/sync", syncRoutes);
  app.route("/review", reviewRoutes);
  app.route("/settings", settingsRoutes);
  app.route("/school", schoolRoutes);
  app.route("/dev", devRoutes);

  app.notFound((c) => renderPage(c, { title: "Not found", status: 404 }, <NotFoundPage />));
  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      const status = error.status;
      // hono/csrf refuses with an empty message; our own refusals always say why.
      const message = error.message || "This request did not come from a Rollcall page, so it was refused. Reload the page and try again.";
      return renderPage(c, { title: "Refused", status }, <ErrorPage status={status} message={message} />);
    }
    // A form that does not parse (a multipart body cut before its final boundary), wherever a route reads it.
    if ((error as { code?: unknown }).code === "ERR_FORMDATA_PARSE_ERROR") {
      return renderPage(c, { title: "Refused", status: 400 }, <ErrorPage status={400} message={UNREADABLE_FORM} />);
    }
    // The route pattern, not the path: a path can carry a token (an invitation link).
    deps.logger.error("http.unhandled_error", { method: c.req.method, route: routePath(c, -1), ...errorFields(error) });
    return renderPage(
      c,
      { title: "Error", status: 500 },
      <ErrorPage
        status={500}
        message="Rollcall hit an unexpected problem. Nothing was changed by this request. Try again, and tell your vendor if it keeps happening."
      />,
    );
  });
  return app;
}

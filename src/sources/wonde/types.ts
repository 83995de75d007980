/**
 * The Wonde API v1.0 shapes this connector reads (uk-mis.md 1.2-1.4). Every personal field
 * may be null: Wonde returns null for fields the school has not approved for the app.
 * Included objects come wrapped: arrays as { data: [...] }, single objects as { data: {...} }.
 */
export interface WondeDate {
  date: string;
  timezone_type?: number;
  timezone?: string;
}

export interface WondeList<T> {
  data: T[];
  meta?: {
    pagination?: { next: string | null; previous?: string | null; more?: boolean; per_page?: number; current_page?: number } | null;
    includes?: string[];
  };
}

export interface Wrapped<T> {
  data: T | null;
}

export interface WondeSchool {
  id: string;
  name: string;
  establishment_number?: string | null;
  urn?: number | string | null;
  la_code?: string | null;
  phase_of_education?: string | null;
  /** Where the school's data lives: the API host of its region. */
  region?: { code?: string | null; domain?: string | null; school_url?: string | null } | null;
}

export interface WondeClass {
  id: string;
  mis_id?: string | null;
  name: string | null;
  code?: string | null;
  description?: string | null;
  subject?: string | null;
  meta?: { is_main_teacher?: boolean; is_class_teacher?: boolean; role?: string } | null;
}

export interface WondeGroup {
  id: string;
  mis_id?: string | null;
  name: string | null;
  code?: string | null;
  type?: string | null;
}

export interface WondeStudent {
  id: string;
  upi?: string | null;
  mis_id?: string | null;
  initials?: string | null;
  surname: string | null;
  forename: string | null;
  middle_names?: string | null;
  legal_surname?: string | null;
  legal_forename?: string | null;
  gender?: string | null;
  date_of_birth?: WondeDate | null;
  education_details?: Wrapped<{
    admission_number?: string | null;
    upn?: string | null;
    former_upn?: string | null;
    current_nc_year?: string | null;
    leaving_date?: WondeDate | null;
  }>;
  year?: Wrapped<{ id?: string; code?: string | null; name?: string | null }>;
  registration?: Wrapped<WondeGroup>;
  classes?: { data: WondeClass[] };
  contact_details?: Wrapped<{ emails?: { email?: string | null; primary?: string | null } | null }>;
}

export interface WondeEmployee {
  id: string;
  mis_id?: string | null;
  title?: string | null;
  surname: string | null;
  forename: string | null;
  legal_surname?: string | null;
  legal_forename?: string | null;
  classes?: { data: WondeClass[] };
  employment_details?: Wrapped<{ teaching_staff?: boolean | null; current?: boolean | null }>;
  contact_details?: Wrapped<{ emails?: { email?: string | null; work?: string | null } | null }>;
}

export interface WondeDeletion {
  id: string;
  type: string;
  restored_at?: WondeDate | null;
}

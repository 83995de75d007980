/** The parts of Clever's v3 records we read (clever.md section 3); every field may be absent. */
export interface CleverName {
  first?: string | null;
  middle?: string | null;
  last?: string | null;
}

export interface CleverUser {
  id: string;
  email?: string | null;
  name?: CleverName | null;
  roles?: {
    student?: {
      sis_id?: string | null;
      student_number?: string | null;
      state_id?: string | null;
      school?: string | null;
      schools?: string[] | null;
      grade?: string | null;
      dob?: string | null;
      gender?: string | null;
      race?: string | null;
      hispanic_ethnicity?: string | null;
      ell_status?: string | null;
      iep_status?: string | null;
      frl_status?: string | null;
      home_language?: string | null;
      preferred_name?: CleverName | null;
      credentials?: { district_username?: string | null } | null;
    } | null;
    teacher?: {
      sis_id?: string | null;
      teacher_number?: string | null;
      state_id?: string | null;
      title?: string | null;
      school?: string | null;
      schools?: string[] | null;
      credentials?: { district_username?: string | null } | null;
    } | null;
  } | null;
}

export interface CleverSection {
  id: string;
  school: string;
  name?: string | null;
  subject?: string | null;
  grade?: string | null;
  students?: string[] | null;
  teacher?: string | null;
  teachers?: string[] | null;
  term_id?: string | null;
  course?: string | null;
  period?: string | null;
}

export interface CleverSchool {
  id: string;
  name?: string | null;
  school_number?: string | null;
  state_id?: string | null;
  low_grade?: string | null;
  high_grade?: string | null;
}

export interface CleverTerm {
  id: string;
  name?: string | null;
  start_date?: string | null;
  end_date?: string | null;
}

export interface CleverCourse {
  id: string;
  name?: string | null;
}

export interface CleverEvent {
  id: string;
  type: string;
  data?: { object?: Record<string, unknown> & { id?: string } } | null;
}

export interface CleverLink {
  rel: string;
  uri: string;
}

export interface CleverList<T> {
  data: { data: T; uri?: string }[];
  links?: CleverLink[];
}

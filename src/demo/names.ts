/** Names for the demo district: common ones repeat often, as in real schools. Written for this project. */
export const GIVEN_NAMES = [
  "Olivia", "Liam", "Emma", "Noah", "Ava", "Oliver", "Sophia", "Elijah", "Isabella", "James", "Mia", "William", "Amelia", "Benjamin",
  "Harper", "Lucas", "Evelyn", "Henry", "Abigail", "Alexander", "Emily", "Mateo", "Ella", "Daniel", "Zoë", "Muhammad", "Aaliyah",
  "Santiago", "Priya", "Arjun", "Mei", "Hiroshi", "Fatima", "Omar", "Chloé", "José", "Sofía", "Kwame", "Amara", "Nguyen", "Linh",
  "Jamal", "Keisha", "Dmitri", "Anya", "Siobhan", "Declan", "Ayesha", "Ibrahim", "Grace", "Samuel", "Layla", "Elias", "Nora",
  "Mason", "Lily", "Ethan", "Chloe", "Logan", "Zoe", "Jacob", "Maya", "Michael", "Aria", "Jackson", "Riley", "Sebastian", "Nova",
];

export const FAMILY_NAMES = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez",
  "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
  "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Nguyen", "Patel", "Kim", "Okafor", "Haddad",
  "Kowalski", "O'Brien", "García-López", "Van der Berg", "Müller", "Nakamura", "Adeyemi", "Mensah", "Ivanova", "Schmidt", "Chen",
  "Singh", "Ali", "Khan", "Murphy", "Kelly", "Rossi", "Silva", "Costa", "Dubois", "Lefebvre", "Jensen", "Novak",
];

/** Built-in people and places for generated customers: small lists, mixed on purpose (accents included). */

export const FIRST_NAMES: readonly string[] = [
  "Anna", "Olivia", "Emma", "Sophia", "Mia", "Charlotte", "Amelia", "Ava", "Isabella", "Grace",
  "Chloé", "Léa", "Manon", "Camille", "Zoë", "Hannah", "Lena", "Marie", "Julia", "Laura",
  "Zofia", "Małgorzata", "Agnieszka", "Katarzyna", "Aisha", "Priya", "Mei", "Yuki", "Sofía", "Lucía",
  "Liam", "Noah", "Oliver", "James", "William", "Benjamin", "Lucas", "Henry", "Jack", "Ethan",
  "Louis", "Hugo", "Théo", "Jules", "Lukas", "Felix", "Jonas", "Maximilian", "Paul", "Elias",
  "Jakub", "Łukasz", "Piotr", "Tomasz", "Mateo", "Diego", "Arjun", "Omar", "Kenji", "Wei",
  "Ella", "Ruby", "Nora", "Ivy", "Leo", "Max", "Sam", "Alex", "Jordan", "Taylor",
];

export const LAST_NAMES: readonly string[] = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
  "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker",
  "Robinson", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill",
  "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Bernard", "Müller", "Schmidt", "Schneider", "Fischer",
  "Weber", "Becker", "Hoffmann", "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamińska", "Lewandowski", "Zieliński",
  "García", "Rodríguez", "Martínez", "López", "Patel", "Singh", "Khan", "Nguyen", "Chen", "Wang",
  "Kim", "Tanaka", "O'Brien", "MacDonald", "Murphy", "Kelly", "Rossi", "Russo", "Silva", "Santos",
];

/** Reserved example domains: generated addresses can never reach a real mailbox. */
export const EMAIL_DOMAINS: readonly (readonly [string, number])[] = [
  ["example.com", 40],
  ["example.net", 20],
  ["example.org", 15],
  ["mail.example", 15],
  ["inbox.example", 10],
];

export const STREETS: readonly string[] = [
  "Maple Street", "Oak Avenue", "Cedar Lane", "Park Road", "High Street", "Station Road", "Church Lane",
  "Rue de la Paix", "Rue Victor Hugo", "Hauptstraße", "Bahnhofstraße", "ul. Długa", "ul. Kwiatowa",
  "King Street", "Queen Street", "Elm Drive", "Lakeview Terrace", "Mill Road",
];

export interface Place {
  city: string;
  province: string | null;
  provinceCode: string | null;
}

export interface Country {
  country: string;
  countryCode: string;
  /** International dialling code without "+". */
  callingCode: string;
  locales: readonly (readonly [string, number])[];
  places: readonly Place[];
  /** Postal code shape: 9 → a digit, A → a capital letter, anything else kept. */
  zip: string;
}

export const COUNTRIES: readonly (readonly [Country, number])[] = [
  [
    {
      country: "United States",
      countryCode: "US",
      callingCode: "1",
      locales: [["en", 95], ["es", 5]],
      places: [
        { city: "New York", province: "New York", provinceCode: "NY" },
        { city: "Brooklyn", province: "New York", provinceCode: "NY" },
        { city: "Los Angeles", province: "California", provinceCode: "CA" },
        { city: "San Francisco", province: "California", provinceCode: "CA" },
        { city: "Chicago", province: "Illinois", provinceCode: "IL" },
        { city: "Austin", province: "Texas", provinceCode: "TX" },
        { city: "Seattle", province: "Washington", provinceCode: "WA" },
        { city: "Portland", province: "Oregon", provinceCode: "OR" },
        { city: "Denver", province: "Colorado", provinceCode: "CO" },
        { city: "Boston", province: "Massachusetts", provinceCode: "MA" },
      ],
      zip: "99999",
    },
    48,
  ],
  [
    {
      country: "Canada",
      countryCode: "CA",
      callingCode: "1",
      locales: [["en", 75], ["fr", 25]],
      places: [
        { city: "Toronto", province: "Ontario", provinceCode: "ON" },
        { city: "Ottawa", province: "Ontario", provinceCode: "ON" },
        { city: "Montréal", province: "Quebec", provinceCode: "QC" },
        { city: "Vancouver", province: "British Columbia", provinceCode: "BC" },
        { city: "Calgary", province: "Alberta", provinceCode: "AB" },
      ],
      zip: "A9A 9A9",
    },
    10,
  ],
  [
    {
      country: "United Kingdom",
      countryCode: "GB",
      callingCode: "44",
      locales: [["en", 100]],
      places: [
        { city: "London", province: "England", provinceCode: "ENG" },
        { city: "Manchester", province: "England", provinceCode: "ENG" },
        { city: "Bristol", province: "England", provinceCode: "ENG" },
        { city: "Edinburgh", province: "Scotland", provinceCode: "SCT" },
        { city: "Cardiff", province: "Wales", provinceCode: "WLS" },
      ],
      zip: "AA9 9AA",
    },
    14,
  ],
  [
    {
      country: "Germany",
      countryCode: "DE",
      callingCode: "49",
      locales: [["de", 85], ["en", 15]],
      places: [
        { city: "Berlin", province: null, provinceCode: null },
        { city: "Hamburg", province: null, provinceCode: null },
        { city: "München", province: null, provinceCode: null },
        { city: "Köln", province: null, provinceCode: null },
      ],
      zip: "99999",
    },
    9,
  ],
  [
    {
      country: "France",
      countryCode: "FR",
      callingCode: "33",
      locales: [["fr", 90], ["en", 10]],
      places: [
        { city: "Paris", province: null, provinceCode: null },
        { city: "Lyon", province: null, provinceCode: null },
        { city: "Marseille", province: null, provinceCode: null },
        { city: "Bordeaux", province: null, provinceCode: null },
      ],
      zip: "99999",
    },
    8,
  ],
  [
    {
      country: "Poland",
      countryCode: "PL",
      callingCode: "48",
      locales: [["pl", 85], ["en", 15]],
      places: [
        { city: "Warszawa", province: null, provinceCode: null },
        { city: "Kraków", province: null, provinceCode: null },
        { city: "Wrocław", province: null, provinceCode: null },
        { city: "Gdańsk", province: null, provinceCode: null },
      ],
      zip: "99-999",
    },
    5,
  ],
  [
    {
      country: "Australia",
      countryCode: "AU",
      callingCode: "61",
      locales: [["en", 100]],
      places: [
        { city: "Sydney", province: "New South Wales", provinceCode: "NSW" },
        { city: "Melbourne", province: "Victoria", provinceCode: "VIC" },
        { city: "Brisbane", province: "Queensland", provinceCode: "QLD" },
      ],
      zip: "9999",
    },
    6,
  ],
];

const TRANSLITERATION: Record<string, string> = { ł: "l", Ł: "L", ß: "ss", ø: "o", Ø: "O", æ: "ae", œ: "oe" };

/** A name as it appears in an email address: lower-case ASCII letters only. */
export function emailPart(name: string): string {
  return name
    .replace(/[łŁßøØæœ]/g, (letter) => TRANSLITERATION[letter] ?? letter)
    .normalize("NFD")
    .replace(/[^A-Za-z]/g, "")
    .toLowerCase();
}

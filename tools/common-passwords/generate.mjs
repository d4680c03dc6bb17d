// Writes src/Grains/Users/common-passwords.txt from the frequency-ordered password list that zxcvbn ships
// (@zxcvbn-ts/language-common, MIT; pinned in package-lock.json). Run: npm ci && npm run generate
//
// Only entries that the length rule (12..256 characters) would otherwise let through are kept: a shorter entry is
// refused by that rule already, so carrying it would only make the file bigger. Entries are lower-cased, as the
// check compares case-insensitively, and written one a line in the list's frequency order, duplicates dropped.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import common from "@zxcvbn-ts/language-common";

const MinLength = 12;
const MaxLength = 256;
const target = fileURLToPath(new URL("../../src/Grains/Users/common-passwords.txt", import.meta.url));

const seen = new Set();
for (const entry of common.dictionary["passwords-common"]) {
  const password = entry.toLowerCase();
  if (password.length >= MinLength && password.length <= MaxLength && !seen.has(password)) {
    seen.add(password);
  }
}

writeFileSync(target, [...seen].join("\n") + "\n");
console.log(`wrote ${seen.size} passwords to ${target}`);

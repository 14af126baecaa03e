-- Pseudonymisation macros (temporary: they live in the connection, never in the store file).
-- nhs_digits: the raw value without spaces and dashes ("943 476 5919", "943-476-5919").
CREATE OR REPLACE TEMP MACRO nhs_digits(x) AS regexp_replace(trim(CAST(x AS VARCHAR)), '[\s-]', '', 'g');

-- nhs_mod11_ok: Modulus 11 on a 10-digit string. Digits 1-9 weighted 10..2, check = 11 - (sum mod 11),
-- 11 -> 0, 10 -> never valid (DATA_SPEC.md, Identifiers).
CREATE OR REPLACE TEMP MACRO nhs_mod11_ok(n) AS (
    (11 - ((10 * CAST(n[1] AS INTEGER) + 9 * CAST(n[2] AS INTEGER) + 8 * CAST(n[3] AS INTEGER)
          + 7 * CAST(n[4] AS INTEGER) + 6 * CAST(n[5] AS INTEGER) + 5 * CAST(n[6] AS INTEGER)
          + 4 * CAST(n[7] AS INTEGER) + 3 * CAST(n[8] AS INTEGER) + 2 * CAST(n[9] AS INTEGER)) % 11)) % 11
    = CAST(n[10] AS INTEGER)
);

-- nhs_normalise: the 10-digit NHS number, or NULL when missing, all zeros, malformed or failing Modulus 11.
CREATE OR REPLACE TEMP MACRO nhs_normalise(x) AS (
    CASE WHEN regexp_full_match(nhs_digits(x), '[0-9]{10}')
              AND nhs_digits(x) <> '0000000000'
              AND nhs_mod11_ok(nhs_digits(x))
         THEN nhs_digits(x) END
);

-- hmac_sha256_hex: HMAC-SHA256 (RFC 2104) given the key already padded and xored with ipad/opad.
CREATE OR REPLACE TEMP MACRO hmac_sha256_hex(ipad, opad, msg) AS
    sha256(opad || unhex(sha256(ipad || encode(msg))));

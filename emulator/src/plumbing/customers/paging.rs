//! Customer paging: the `filter` query and the opaque, stateless continuation tokens.
//!
//! A token is base64url (no padding) of: version byte, offset (u64 LE, the creation-order
//! position to resume from), size (u16 LE), filter field byte (0 none, 1 domain, 2 company name),
//! filter value (UTF-8, the rest), then an 8-byte check: a keyed SipHash of everything before it
//! with a key drawn at random per emulator. Tampered, truncated or foreign tokens fail the check.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

use serde::Deserialize;

use crate::plumbing::customers::customer::Customer;

/// The token format version.
const VERSION: u8 = 1;
/// Bytes before the filter value: version, offset, size, field.
const HEADER_LEN: usize = 1 + 8 + 2 + 1;
/// Bytes of the check at the end.
const CHECK_LEN: usize = 8;

/// Which customer field a filter looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// `companyProfile.domain`.
    Domain,
    /// `companyProfile.companyName`.
    CompanyName,
}

/// A `starts_with` filter: a case-insensitive prefix of one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    /// The field compared.
    pub field: Field,
    /// The prefix.
    pub value: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FilterJson {
    #[serde(rename = "Field")]
    field: String,
    #[serde(rename = "Value")]
    value: String,
    #[serde(rename = "Operator")]
    operator: String,
}

impl Filter {
    /// Parses the (already URL-decoded) `filter` query value:
    /// `{"Field":"Domain"|"CompanyName","Value":"…","Operator":"starts_with"}`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let parsed: FilterJson = serde_json::from_str(text).map_err(|error| {
            format!(
                "The filter parameter must be JSON {{\"Field\":\"Domain\"|\"CompanyName\",\"Value\":\"…\",\"Operator\":\"starts_with\"}}: {error}."
            )
        })?;
        let field = match parsed.field.as_str() {
            "Domain" => Field::Domain,
            "CompanyName" => Field::CompanyName,
            other => {
                return Err(format!(
                    "The filter parameter's Field '{other}' is not supported; use 'Domain' or 'CompanyName'."
                ));
            }
        };
        if parsed.operator != "starts_with" {
            return Err(format!(
                "The filter parameter's Operator '{}' is not supported; use 'starts_with'.",
                parsed.operator
            ));
        }
        Ok(Self {
            field,
            value: parsed.value,
        })
    }

    /// Whether `customer` matches.
    pub fn matches(&self, customer: &Customer) -> bool {
        let text = match self.field {
            Field::Domain => &customer.domain,
            Field::CompanyName => &customer.company_name,
        };
        starts_with_ignoring_case(text, &self.value)
    }
}

/// Case-insensitive prefix test (ASCII fast path, Unicode lower-casing otherwise).
fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    if text.is_ascii() && prefix.is_ascii() {
        text.len() >= prefix.len()
            && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
    } else {
        text.to_lowercase().starts_with(&prefix.to_lowercase())
    }
}

/// Where the next page starts, and how it is cut.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    /// Creation-order position to resume scanning from.
    pub offset: usize,
    /// Page size.
    pub size: u16,
    /// The filter of the listing, if any.
    pub filter: Option<Filter>,
}

/// Seals and opens continuation tokens with a key of its own.
#[derive(Debug, Default)]
pub struct TokenKey {
    key: RandomState,
}

impl TokenKey {
    /// The opaque token for `cursor`.
    pub fn seal(&self, cursor: &Cursor) -> String {
        let (field, value) = match &cursor.filter {
            None => (0u8, ""),
            Some(filter) => match filter.field {
                Field::Domain => (1, filter.value.as_str()),
                Field::CompanyName => (2, filter.value.as_str()),
            },
        };
        let mut bytes = Vec::with_capacity(HEADER_LEN + value.len() + CHECK_LEN);
        bytes.push(VERSION);
        bytes.extend_from_slice(&(cursor.offset as u64).to_le_bytes());
        bytes.extend_from_slice(&cursor.size.to_le_bytes());
        bytes.push(field);
        bytes.extend_from_slice(value.as_bytes());
        let check = self.key.hash_one(bytes.as_slice());
        bytes.extend_from_slice(&check.to_le_bytes());
        base64url_encode(&bytes)
    }

    /// The cursor in `token`, or why it is refused.
    pub fn open(&self, token: &str) -> Result<Cursor, &'static str> {
        let bytes = base64url_decode(token.trim()).ok_or("is not a continuation token")?;
        if bytes.len() < HEADER_LEN + CHECK_LEN {
            return Err("is truncated");
        }
        let (body, check) = bytes.split_at(bytes.len() - CHECK_LEN);
        let check = u64::from_le_bytes(check.try_into().map_err(|_| "is truncated")?);
        if self.key.hash_one(body) != check {
            return Err("was altered or was not issued by this server");
        }
        if body[0] != VERSION {
            return Err("has an unknown version");
        }
        let offset = u64::from_le_bytes(body[1..9].try_into().map_err(|_| "is truncated")?);
        let size = u16::from_le_bytes(body[9..11].try_into().map_err(|_| "is truncated")?);
        let value = std::str::from_utf8(&body[HEADER_LEN..]).map_err(|_| "is corrupt")?;
        let field = match body[11] {
            0 => None,
            1 => Some(Field::Domain),
            2 => Some(Field::CompanyName),
            _ => return Err("is corrupt"),
        };
        Ok(Cursor {
            offset: usize::try_from(offset).map_err(|_| "is corrupt")?,
            size,
            filter: field.map(|field| Filter {
                field,
                value: value.to_owned(),
            }),
        })
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding.
fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let mut group = [0u8; 3];
        group[..chunk.len()].copy_from_slice(chunk);
        let bits = u32::from(group[0]) << 16 | u32::from(group[1]) << 8 | u32::from(group[2]);
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(bits >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

/// Decodes base64url without padding; `None` for any other character or a dangling length.
fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    for chunk in text.as_bytes().chunks(4) {
        let mut bits = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            let value = ALPHABET.iter().position(|&a| a == c)? as u32;
            bits |= value << (18 - 6 * i);
        }
        let bytes = bits.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    // Only the canonical spelling is accepted, so no two texts decode to the same token.
    (base64url_encode(&out) == text).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips() {
        for len in 0..40 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 250) as u8).collect();
            let text = base64url_encode(&bytes);
            assert!(!text.contains('=') && !text.contains('+') && !text.contains('/'));
            assert_eq!(base64url_decode(&text).unwrap(), bytes, "{len}");
        }
        assert!(base64url_decode("a").is_none());
        assert!(base64url_decode("ab*d").is_none());
        assert!(base64url_decode("AB").is_none(), "non-zero unused bits");
    }

    #[test]
    fn tokens_round_trip_and_refuse_tampering() {
        let key = TokenKey::default();
        let cursor = Cursor {
            offset: 2500,
            size: 7,
            filter: Some(Filter {
                field: Field::CompanyName,
                value: "Fåbrikam".into(),
            }),
        };
        let token = key.seal(&cursor);
        assert_eq!(key.open(&token), Ok(cursor));
        let mut bytes = base64url_decode(&token).unwrap();
        bytes[2] ^= 1;
        assert!(key.open(&base64url_encode(&bytes)).is_err());
        assert!(key.open("garbage!").is_err());
        assert!(key.open("").is_err());
        assert!(TokenKey::default().open(&token).is_err(), "another key");
    }

    #[test]
    fn filters_parse_strictly_and_match_prefixes_ignoring_case() {
        let filter =
            Filter::parse(r#"{"Field":"Domain","Value":"FABRI","Operator":"starts_with"}"#)
                .unwrap();
        assert_eq!(filter.field, Field::Domain);
        assert!(starts_with_ignoring_case(
            "fabrikam0001.onmicrosoft.com",
            "FABRI"
        ));
        assert!(starts_with_ignoring_case("Ärzte GmbH", "ärz"));
        assert!(!starts_with_ignoring_case("Fab", "Fabrikam"));
        for bad in [
            r#"{"Field":"Name","Value":"a","Operator":"starts_with"}"#,
            r#"{"Field":"Domain","Value":"a","Operator":"equals"}"#,
            r#"{"Field":"Domain","Value":"a"}"#,
            r#"{"Field":"Domain","Value":"a","Operator":"starts_with","X":1}"#,
            "domain eq a",
        ] {
            assert!(Filter::parse(bad).is_err(), "{bad}");
        }
    }
}

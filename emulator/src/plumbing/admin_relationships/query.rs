//! The OData query of the listings: `$top` (1–300, default 100), `$skiptoken` (where the next
//! page starts: opaque to callers, who follow `@odata.nextLink` as given), and `$filter`
//! (`status eq '<status>'`, and for relationships `customer/tenantId eq '<guid>'`, joined by
//! ` and `). Other `$` options are ignored.

use uuid::Uuid;

use crate::plumbing::admin_relationships::relationship::{
    Assignment, AssignmentStatus, Relationship, Status,
};
use crate::plumbing::graph_wire::GraphError;

/// Page size when the request names none.
pub const DEFAULT_TOP: usize = 100;
/// Largest page size.
pub const MAX_TOP: usize = 300;
/// The prefix of a skip token (the rest is the position to resume from, in hex).
const SKIPTOKEN_PREFIX: &str = "emu1.";

/// A listing request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListQuery {
    /// `$top` as sent, if sent.
    pub top: Option<usize>,
    /// `$filter` as sent, if sent.
    pub filter_text: Option<String>,
    /// Where the page starts (from `$skiptoken`; 0 without one).
    pub start: u64,
    clauses: Vec<(Field, String)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Status,
    CustomerTenantId,
}

impl ListQuery {
    /// Parses the raw query string of a listing.
    pub fn parse(query: &str) -> Result<Self, GraphError> {
        let mut out = ListQuery {
            top: None,
            filter_text: None,
            start: 0,
            clauses: Vec::new(),
        };
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            if key.eq_ignore_ascii_case("$top") {
                match value.trim().parse::<usize>() {
                    Ok(top) if (1..=MAX_TOP).contains(&top) => out.top = Some(top),
                    _ => {
                        return Err(GraphError::bad_request(format!(
                            "The query option '$top' must be a whole number from 1 to {MAX_TOP}; got '{value}'."
                        )));
                    }
                }
            } else if key.eq_ignore_ascii_case("$skiptoken") {
                out.start = value
                    .strip_prefix(SKIPTOKEN_PREFIX)
                    .and_then(|hex| u64::from_str_radix(hex, 16).ok())
                    .ok_or_else(|| {
                        GraphError::bad_request(
                            "The query option '$skiptoken' is not valid: follow @odata.nextLink as given.",
                        )
                    })?;
            } else if key.eq_ignore_ascii_case("$filter") {
                out.clauses = parse_filter(&value)?;
                out.filter_text = Some(value.into_owned());
            }
        }
        Ok(out)
    }

    /// The page size.
    pub fn page_size(&self) -> usize {
        self.top.unwrap_or(DEFAULT_TOP)
    }

    /// Whether `relationship` passes the filter.
    pub fn matches(&self, relationship: &Relationship) -> bool {
        self.clauses.iter().all(|(field, value)| match field {
            Field::Status => relationship.status.as_str().eq_ignore_ascii_case(value),
            Field::CustomerTenantId => relationship
                .customer
                .as_ref()
                .is_some_and(|c| Uuid::parse_str(value).is_ok_and(|v| v == c.tenant_id)),
        })
    }

    /// Whether `assignment` passes the filter.
    pub fn matches_assignment(&self, assignment: &Assignment) -> bool {
        self.clauses.iter().all(|(field, value)| match field {
            Field::Status => assignment.status.as_str().eq_ignore_ascii_case(value),
            Field::CustomerTenantId => false,
        })
    }

    /// Refuses what only relationships can be filtered on.
    pub fn check_for_assignments(&self) -> Result<(), GraphError> {
        for (field, value) in &self.clauses {
            match field {
                Field::CustomerTenantId => {
                    return Err(GraphError::bad_request(
                        "The query option '$filter' cannot use customer/tenantId on access assignments.",
                    ));
                }
                Field::Status if AssignmentStatus::parse(value).is_none() => {
                    return Err(GraphError::bad_request(format!(
                        "The query option '$filter' names an unknown access assignment status '{value}'."
                    )));
                }
                Field::Status => {}
            }
        }
        Ok(())
    }
}

/// The `$skiptoken` of a page starting at `position`.
pub fn skiptoken(position: u64) -> String {
    format!("{SKIPTOKEN_PREFIX}{position:x}")
}

fn parse_filter(text: &str) -> Result<Vec<(Field, String)>, GraphError> {
    let bad = |why: String| {
        GraphError::bad_request(format!(
            "The query option '$filter' is not supported: {why}. Use status eq '<status>' and customer/tenantId eq '<guid>', joined by ' and '."
        ))
    };
    let mut clauses = Vec::new();
    for clause in split_and(text) {
        let clause = clause.trim();
        let mut words = clause.splitn(3, ' ');
        let (Some(field), Some(op), Some(value)) = (words.next(), words.next(), words.next())
        else {
            return Err(bad(format!("'{clause}' is not '<property> eq <value>'")));
        };
        if !op.eq_ignore_ascii_case("eq") {
            return Err(bad(format!("the operator '{op}' is not 'eq'")));
        }
        let value = value.trim();
        let Some(value) = value
            .strip_prefix('\'')
            .and_then(|v| v.strip_suffix('\''))
            .map(|v| v.replace("''", "'"))
        else {
            return Err(bad(format!("the value {value} is not a quoted string")));
        };
        let field = if field.eq_ignore_ascii_case("status") {
            if Status::parse(&value).is_none() && AssignmentStatus::parse(&value).is_none() {
                return Err(bad(format!("'{value}' is not a status")));
            }
            Field::Status
        } else if field.eq_ignore_ascii_case("customer/tenantId") {
            if Uuid::parse_str(&value).is_err() {
                return Err(bad(format!("'{value}' is not a GUID")));
            }
            Field::CustomerTenantId
        } else {
            return Err(bad(format!("the property '{field}' cannot be filtered on")));
        };
        clauses.push((field, value));
    }
    Ok(clauses)
}

/// `text` split at ` and ` (any case).
fn split_and(text: &str) -> Vec<&str> {
    let lower = text.to_ascii_lowercase();
    let mut parts = Vec::new();
    let mut start = 0;
    while let Some(at) = lower[start..].find(" and ") {
        parts.push(&text[start..start + at]);
        start += at + 5;
    }
    parts.push(&text[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_filter_and_skiptoken_parse() {
        let query = ListQuery::parse(
            "%24top=5&%24filter=status%20eq%20%27active%27%20and%20customer%2FtenantId%20eq%20%270f8fad5b-d9cb-469f-a165-70867728950e%27&$skiptoken=emu1.1f",
        )
        .unwrap();
        assert_eq!(query.page_size(), 5);
        assert_eq!(query.start, 31);
        assert_eq!(query.clauses.len(), 2);
        assert_eq!(ListQuery::parse("").unwrap().page_size(), DEFAULT_TOP);
        for bad in [
            "$top=0",
            "$top=301",
            "$top=x",
            "$skiptoken=abc",
            "$filter=status eq active",
            "$filter=status ne 'active'",
            "$filter=displayName eq 'x'",
            "$filter=status eq 'nope'",
            "$filter=customer/tenantId eq 'nope'",
        ] {
            assert_eq!(
                ListQuery::parse(bad).unwrap_err().code,
                "BadRequest",
                "{bad}"
            );
        }
        assert_eq!(skiptoken(31), "emu1.1f");
    }
}

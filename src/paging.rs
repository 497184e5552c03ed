//! Paging, in one place: how a service's `links.next` becomes the next request, and the cursor
//! that walks a collection without going round in circles.
//!
//! The rules, each against a hostile or broken service (issue 12, items 4, 6, 7):
//! - a next link must resolve under the client's base URL and API version (`{base}/v1/…`):
//!   no other origin, no other path prefix, no dot segment (`.`, `..`, or their percent-encoded
//!   forms), no backslash, no encoded `/` or `\`, no control character — so the bearer token
//!   never leaves its base path;
//! - it is followed with GET whatever `method` it names (Partner Center pages are GETs; a
//!   `DELETE` link must not turn a listing into a deletion);
//! - only the continuation headers in [`CONTINUATION_HEADERS`] are copied from it: never
//!   `Content-Length`, `Authorization`, `Cookie`, `Proxy-Authorization`, `Host`, …;
//! - a cursor (path, query and continuation headers) seen before in the same listing ends it
//!   with [`ErrorKind::BadResponse`], as does a long run of empty pages that still link on.

use std::collections::HashSet;
use std::hash::{BuildHasher, Hash, Hasher, RandomState};

use reqwest::header::{HeaderName, HeaderValue};
use url::Url;

use crate::error::{Error, ErrorKind, Result};
use crate::models::Link;

/// The API version prefix every request path starts with.
pub(crate) const API_PREFIX: &str = "/v1/";

/// The headers a next link may set (lower case): Partner Center documents only
/// `MS-ContinuationToken` on `links.next`. Everything else a link carries is dropped.
pub(crate) const CONTINUATION_HEADERS: &[&str] = &["ms-continuationtoken"];

/// The longest run of empty pages that still link onwards before a listing is ended: a service
/// that hands out fresh cursors forever without items would otherwise never finish.
pub(crate) const MAX_EMPTY_PAGES_IN_A_ROW: u32 = 32;

/// How many distinct cursors a listing remembers. Far beyond any real listing (500 customers a
/// page); the bound only keeps memory finite against a service that never stops.
const MAX_REMEMBERED: usize = 1 << 20;

/// A request for a page: a path (and query) below the base URL, starting with `/v1/`, and the
/// continuation headers to send. Always a GET.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NextRequest {
    /// Path and query below the base URL.
    pub path: String,
    /// Only headers from [`CONTINUATION_HEADERS`].
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

impl NextRequest {
    /// The first request of a listing: `path` as the library built it, no headers.
    pub fn first(path: String) -> Self {
        NextRequest {
            path,
            headers: Vec::new(),
        }
    }
}

fn bad(why: &str) -> Error {
    Error::new(
        ErrorKind::BadResponse,
        format!("the service's next-page link {why}; the listing was stopped"),
    )
}

/// Turns a `links.next` into the next request, or refuses it (see the module rules).
///
/// Accepted forms: an absolute URL on the base URL's origin whose path starts with the base
/// path and `/v1/`; a relative `/v1/…`; a relative `/…` or `…` without the version, which
/// Partner Center also sends, taken as below `/v1/`.
pub(crate) fn resolve(base: &Url, link: &Link) -> Result<NextRequest> {
    let uri = link.uri.trim();
    if uri.is_empty() {
        return Err(bad("is empty"));
    }
    if uri.chars().any(|c| c.is_control() || c == '\\' || c == ' ') {
        return Err(bad("contains a control character, a space or a backslash"));
    }
    let base_prefix = base.path().trim_end_matches('/');
    let below_base = if uri.starts_with("https://") || uri.starts_with("http://") {
        let target = Url::parse(uri).map_err(|_| bad("is not a valid URL"))?;
        if target.origin() != base.origin() {
            return Err(bad(
                "points at another host; not following it with the access token",
            ));
        }
        // The raw text, not `target.path()`: the parser has already removed dot segments.
        let after_authority = &uri[uri.find("://").map_or(0, |i| i + 3)..];
        let raw_path =
            &after_authority[after_authority.find('/').unwrap_or(after_authority.len())..];
        if !base_prefix.is_empty() {
            match raw_path.strip_prefix(base_prefix) {
                Some(rest) if rest.starts_with('/') => rest.to_owned(),
                _ => return Err(bad("is not under the client's base URL")),
            }
        } else {
            raw_path.to_owned()
        }
    } else if uri.starts_with("//") {
        // A scheme-relative URL names a host: never ours to follow.
        return Err(bad(
            "points at another host; not following it with the access token",
        ));
    } else if uri.starts_with(API_PREFIX) {
        uri.to_owned()
    } else if uri.starts_with('/') {
        format!("/v1{uri}")
    } else {
        format!("/v1/{uri}")
    };
    let below_base = below_base.split('#').next().unwrap_or_default();
    let (path, query) = match below_base.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (below_base, None),
    };
    if !path.starts_with(API_PREFIX) {
        return Err(bad("is not under the API version /v1/"));
    }
    check_segments(path)?;
    let path = match query {
        Some(q) => format!("{path}?{q}"),
        None => path.to_owned(),
    };
    let mut headers = Vec::new();
    for h in &link.headers {
        let name = HeaderName::from_bytes(h.key.trim().as_bytes())
            .map_err(|_| bad("has a bad header name"))?;
        // An allow-list, not a deny-list: a link may continue the listing, never decide who we
        // are, where we go or how the request is framed.
        if !CONTINUATION_HEADERS.contains(&name.as_str()) {
            tracing::debug!(header = name.as_str(), "next link header not copied");
            continue;
        }
        let value = HeaderValue::from_str(&h.value).map_err(|_| bad("has a bad header value"))?;
        headers.push((name, value));
    }
    if link
        .method
        .as_deref()
        .is_some_and(|m| !m.trim().is_empty() && !m.trim().eq_ignore_ascii_case("GET"))
    {
        tracing::debug!("next link names a method other than GET; following it with GET");
    }
    Ok(NextRequest { path, headers })
}

/// Turns Microsoft Graph's `@odata.nextLink` (always absolute) into the next request, by the
/// same rules: on the Graph base URL's origin, below its path (`/v1.0` included), no dot or
/// hidden separator segment; a GET with no headers of the link's choosing.
pub(crate) fn resolve_graph(base: &Url, link: &str) -> Result<NextRequest> {
    let uri = link.trim();
    if uri.chars().any(|c| c.is_control() || c == '\\' || c == ' ') {
        return Err(bad("contains a control character, a space or a backslash"));
    }
    if !(uri.starts_with("https://") || uri.starts_with("http://")) {
        return Err(bad("is not an absolute URL"));
    }
    let target = Url::parse(uri).map_err(|_| bad("is not a valid URL"))?;
    if target.origin() != base.origin() {
        return Err(bad(
            "points at another host; not following it with the access token",
        ));
    }
    let after_authority = &uri[uri.find("://").map_or(0, |i| i + 3)..];
    let raw = &after_authority[after_authority.find('/').unwrap_or(after_authority.len())..];
    let raw = raw.split('#').next().unwrap_or_default();
    let prefix = base.path().trim_end_matches('/');
    let below = match raw.strip_prefix(prefix) {
        Some(rest) if rest.starts_with('/') && rest.len() > 1 => rest,
        _ => return Err(bad("is not under the client's Graph base URL")),
    };
    let path = below.split('?').next().unwrap_or_default();
    check_segments(path)?;
    Ok(NextRequest::first(below.to_owned()))
}

/// Refuses a path with a segment that is, or decodes to, `.` or `..`, or that hides a `/` or
/// `\` behind percent-encoding: the server or a proxy on the way might decode and normalise it
/// into a path outside the base.
fn check_segments(path: &str) -> Result<()> {
    for segment in path.split('/') {
        let decoded = percent_encoding::percent_decode_str(segment).collect::<Vec<u8>>();
        if decoded == b"." || decoded == b".." {
            return Err(bad("has a dot segment ('.' or '..')"));
        }
        if decoded
            .iter()
            .any(|b| matches!(b, b'/' | b'\\' | b'%') || b.is_ascii_control())
        {
            return Err(bad(
                "hides a separator or control character in a path segment",
            ));
        }
    }
    Ok(())
}

/// Where a listing is: the request for the next page, and the cursors it has already used.
#[derive(Debug)]
pub(crate) struct Cursor {
    next: Option<NextRequest>,
    /// Fingerprints of every request made or scheduled, with a per-listing random key.
    seen: HashSet<u64>,
    keys: RandomState,
    empty_in_a_row: u32,
    /// Set once the listing is broken (a repeat): asked again, it fails again without a request.
    broken: Option<Error>,
}

impl Cursor {
    /// A listing that starts with `first`.
    pub fn new(first: NextRequest) -> Self {
        let mut cursor = Cursor {
            next: None,
            seen: HashSet::new(),
            keys: RandomState::new(),
            empty_in_a_row: 0,
            broken: None,
        };
        let fingerprint = cursor.fingerprint(&first);
        cursor.seen.insert(fingerprint);
        cursor.next = Some(first);
        cursor
    }

    /// The request for the next page (`Ok(None)`: the listing is complete), or the error that
    /// broke the listing. The request stays current until [`Cursor::advance`]: a failed call can
    /// be retried with the same cursor.
    pub fn pending(&self) -> Result<Option<&NextRequest>> {
        match &self.broken {
            Some(error) => Err(error.clone()),
            None => Ok(self.next.as_ref()),
        }
    }

    /// Moves on after a page with `items` entries arrived whose next link was `next`.
    /// A cursor seen before, or too many empty pages in a row, breaks the listing.
    pub fn advance(&mut self, items: usize, next: Option<NextRequest>) -> Result<()> {
        let Some(next) = next else {
            self.next = None;
            return Ok(());
        };
        self.empty_in_a_row = if items == 0 {
            self.empty_in_a_row + 1
        } else {
            0
        };
        if self.empty_in_a_row > MAX_EMPTY_PAGES_IN_A_ROW {
            return Err(self.break_with(format!(
                "the service sent {} empty pages in a row that still link onwards; \
                 the listing was stopped",
                self.empty_in_a_row
            )));
        }
        let fingerprint = self.fingerprint(&next);
        if !self.seen.insert(fingerprint) {
            return Err(self.break_with(
                "the service's next-page link (or continuation token) repeats one this listing \
                 already followed: the listing would never end, so it was stopped"
                    .to_owned(),
            ));
        }
        if self.seen.len() > MAX_REMEMBERED {
            // Forget the oldest by forgetting all but the current one: still catches any
            // loop shorter than the bound, which is every loop a real service could produce.
            self.seen.clear();
            self.seen.insert(fingerprint);
        }
        self.next = Some(next);
        Ok(())
    }

    fn break_with(&mut self, message: String) -> Error {
        let error = Error::new(ErrorKind::BadResponse, message);
        self.broken = Some(error.clone());
        self.next = None;
        error
    }

    fn fingerprint(&self, request: &NextRequest) -> u64 {
        let mut h = self.keys.build_hasher();
        request.path.hash(&mut h);
        for (name, value) in &request.headers {
            name.as_str().hash(&mut h);
            value.as_bytes().hash(&mut h);
        }
        h.finish()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn graph_next_links_stay_below_the_graph_base() {
        let base = Url::parse("https://graph.microsoft.com/v1.0").unwrap();
        let ok = resolve_graph(
            &base,
            "https://graph.microsoft.com/v1.0/tenantRelationships/delegatedAdminRelationships?$skiptoken=abc",
        )
        .unwrap();
        assert_eq!(
            ok.path,
            "/tenantRelationships/delegatedAdminRelationships?$skiptoken=abc"
        );
        assert!(ok.headers.is_empty());
        for bad_link in [
            "https://evil.example/v1.0/tenantRelationships?x",
            "https://graph.microsoft.com/beta/tenantRelationships",
            "https://graph.microsoft.com/v1.0/../beta/x",
            "https://graph.microsoft.com/v1.0/a/%2e%2e/b",
            "https://graph.microsoft.com/v1.0",
            "/v1.0/tenantRelationships",
            "https://graph.microsoft.com/v1.0x/tenantRelationships",
        ] {
            assert!(resolve_graph(&base, bad_link).is_err(), "{bad_link}");
        }
    }

    use super::*;
    use crate::models::LinkHeader;

    fn link(uri: &str) -> Link {
        Link {
            uri: uri.into(),
            ..Link::default()
        }
    }

    fn base(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn accepted_forms_stay_below_the_base_and_version() {
        let b = base("https://api.partnercenter.microsoft.com");
        for (uri, path) in [
            (
                "/v1/customers?size=5&seekOperation=Next",
                "/v1/customers?size=5&seekOperation=Next",
            ),
            ("customers?size=5", "/v1/customers?size=5"),
            ("/customers", "/v1/customers"),
            (
                "https://api.partnercenter.microsoft.com/v1/customers?x=1",
                "/v1/customers?x=1",
            ),
        ] {
            assert_eq!(resolve(&b, &link(uri)).unwrap().path, path, "{uri}");
        }
        let p = base("http://127.0.0.1:8080/proxy/pc");
        assert_eq!(
            resolve(&p, &link("http://127.0.0.1:8080/proxy/pc/v1/customers?a=b"))
                .unwrap()
                .path,
            "/v1/customers?a=b"
        );
    }

    #[test]
    fn links_outside_are_refused() {
        let p = base("http://127.0.0.1:8080/proxy/pc");
        for uri in [
            "",
            "/v1/../../steal",
            "/v1/%2e%2e/x",
            "/v1/.%2E/x",
            "/v1/./customers",
            "/v1/a%2fb",
            "/v1/a%5cb",
            "/v1/a%252e",
            "/v1\\..\\x",
            "//evil.example/v1/customers",
            "http://127.0.0.1:8080/v1/customers",
            "http://127.0.0.1:8080/proxy/pcx/v1/customers",
            "http://127.0.0.1:8080/proxy/pc/../pc/v1/customers",
            "http://127.0.0.1:8081/proxy/pc/v1/customers",
            "https://127.0.0.1:8080/proxy/pc/v1/customers",
            "/v1/cust\nomers",
        ] {
            let e = resolve(&p, &link(uri)).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::BadResponse, "{uri:?}");
        }
    }

    #[test]
    fn only_continuation_headers_are_copied() {
        let b = base("https://api.partnercenter.microsoft.com");
        let mut l = link("/v1/customers");
        l.method = Some("DELETE".into());
        for (k, v) in [
            ("MS-ContinuationToken", "t"),
            ("Content-Length", "5"),
            ("Cookie", "c"),
            ("Proxy-Authorization", "p"),
            ("Authorization", "a"),
            ("Host", "h"),
        ] {
            l.headers.push(LinkHeader {
                key: k.into(),
                value: v.into(),
            });
        }
        let next = resolve(&b, &l).unwrap();
        assert_eq!(next.headers.len(), 1);
        assert_eq!(next.headers[0].0, "ms-continuationtoken");
    }

    fn request(path: &str, token: &str) -> NextRequest {
        NextRequest {
            path: path.into(),
            headers: vec![(
                HeaderName::from_static("ms-continuationtoken"),
                HeaderValue::from_str(token).unwrap(),
            )],
        }
    }

    #[test]
    fn repeats_and_cycles_break_the_listing_for_good() {
        let mut c = Cursor::new(NextRequest::first("/v1/customers?size=5".into()));
        c.advance(5, Some(request("/v1/customers?next", "a")))
            .unwrap();
        c.advance(5, Some(request("/v1/customers?next", "b")))
            .unwrap();
        // A then B then A: a cycle, not just the same link twice.
        let e = c
            .advance(5, Some(request("/v1/customers?next", "a")))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadResponse);
        assert!(c.pending().is_err(), "stays broken");
        let mut c = Cursor::new(NextRequest::first("/v1/customers?size=5".into()));
        let back_to_start = NextRequest::first("/v1/customers?size=5".into());
        assert!(c.advance(5, Some(back_to_start)).is_err());
    }

    #[test]
    fn endless_empty_pages_break_the_listing() {
        let mut c = Cursor::new(NextRequest::first("/v1/customers".into()));
        let mut outcome = Ok(());
        for i in 0..=MAX_EMPTY_PAGES_IN_A_ROW {
            outcome = c.advance(0, Some(request("/v1/customers", &format!("t{i}"))));
        }
        assert!(outcome.is_err());
        let mut c = Cursor::new(NextRequest::first("/v1/customers".into()));
        c.advance(0, None).unwrap();
        assert!(c.pending().unwrap().is_none(), "complete");
    }
}

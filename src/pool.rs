//! Connection pools: which reqwest pool a request uses, and how its connections follow redirects
//! and proxies.
//!
//! A pooled connection is driven by a task on the runtime that opened it. The async API runs on
//! the caller's runtime, usually multi-threaded: one pool per client, shared by every task. The
//! blocking API (and so the C ABI) runs each call on a current-thread runtime owned by the
//! calling thread, so that a call and its connection live on one thread with no hand-off between
//! threads (it halves a call's latency); such a thread gets a pool of its own per client, because
//! a connection opened on one thread's runtime cannot be driven from another's.
//!
//! Proxy settings (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`, and the system's) are
//! read once, when the client is made, and every pool of the client uses that reading.

use std::cell::RefCell;
use std::sync::{Arc, OnceLock, Weak};
use std::time::Duration;

use tokio::runtime::{Handle, RuntimeFlavor};

use crate::error::{Error, ErrorKind, Result};

/// How to build a pool, and the shared one once built.
#[derive(Debug)]
pub(crate) struct Pools {
    tls: rustls::ClientConfig,
    connect_timeout: Duration,
    user_agent: &'static str,
    shared: OnceLock<reqwest::Client>,
    /// The proxy reading taken when the client was made; `None` when no proxy is in effect.
    proxies: Option<Arc<hyper_util::client::proxy::matcher::Matcher>>,
    /// Identifies this client's per-thread pools; they go when it goes.
    key: Arc<()>,
}

struct LocalPool {
    owner: Weak<()>,
    http: reqwest::Client,
}

thread_local! {
    static LOCAL_POOLS: RefCell<Vec<LocalPool>> = const { RefCell::new(Vec::new()) };
}

impl Pools {
    /// Pools built with these settings; none is built yet.
    pub fn new(
        tls: rustls::ClientConfig,
        connect_timeout: Duration,
        user_agent: &'static str,
    ) -> Result<Self> {
        let pools = Pools {
            tls,
            connect_timeout,
            user_agent,
            shared: OnceLock::new(),
            proxies: proxy_reading(),
            key: Arc::new(()),
        };
        // Build one now so that a bad setting fails when the client is made, not at its first call.
        pools.build()?;
        Ok(pools)
    }

    fn build(&self) -> Result<reqwest::Client> {
        let builder = reqwest::Client::builder()
            .tls_backend_preconfigured(self.tls.clone())
            .user_agent(self.user_agent)
            .connect_timeout(self.connect_timeout)
            .pool_idle_timeout(Duration::from_secs(90))
            .redirect(redirect_policy())
            .no_proxy();
        let builder = match &self.proxies {
            // Consulting a proxy matcher costs URL parses on every request: only when one applies.
            Some(proxies) => builder.proxy(reqwest::Proxy::custom({
                let proxies = proxies.clone();
                move |url| proxy_for(&proxies, url)
            })),
            None => builder,
        };
        builder.build().map_err(|e| {
            Error::new(
                ErrorKind::Internal,
                format!("cannot build the HTTP client: {e}"),
            )
        })
    }

    /// The pool for a request made now, from inside a runtime.
    pub fn get(&self) -> Result<reqwest::Client> {
        let current_thread =
            Handle::try_current().is_ok_and(|h| h.runtime_flavor() == RuntimeFlavor::CurrentThread);
        if !current_thread {
            if let Some(http) = self.shared.get() {
                return Ok(http.clone());
            }
            let http = self.build()?;
            return Ok(self.shared.get_or_init(|| http).clone());
        }
        LOCAL_POOLS.with(|pools| {
            let mut pools = pools.borrow_mut();
            // Drop the pools of clients that are gone (their connections close with them).
            pools.retain(|p| p.owner.strong_count() > 0);
            let mine = Arc::downgrade(&self.key);
            if let Some(pool) = pools.iter().find(|p| Weak::ptr_eq(&p.owner, &mine)) {
                return Ok(pool.http.clone());
            }
            let http = self.build()?;
            pools.push(LocalPool {
                owner: mine,
                http: http.clone(),
            });
            Ok(http)
        })
    }
}

/// Follows at most 5 redirects, and only within the same origin (scheme, host and port). A
/// redirect elsewhere is never followed: reqwest would drop the Authorization header, but a 307/308
/// re-sends the body, which for a token request holds the refresh token or the client secret.
fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if attempt.previous().len() >= 5 || !same_origin {
            attempt.stop()
        } else {
            attempt.follow()
        }
    })
}

/// Reads the proxy settings (environment, and the system's on macOS and Windows) once. `None` when
/// they send nothing through a proxy: probed with a name and an address from reserved ranges, for
/// both schemes, since `NO_PROXY=*` exempts names but not addresses.
fn proxy_reading() -> Option<Arc<hyper_util::client::proxy::matcher::Matcher>> {
    let matcher = hyper_util::client::proxy::matcher::Matcher::from_system();
    let probes = [
        "http://proxy-probe.invalid/",
        "https://proxy-probe.invalid/",
        "http://192.0.2.1/",
        "https://192.0.2.1/",
    ];
    let in_effect = probes
        .iter()
        .filter_map(|p| p.parse::<http::Uri>().ok())
        .any(|uri| matcher.intercept(&uri).is_some());
    in_effect.then(|| Arc::new(matcher))
}

/// The proxy for `url` by the reading taken when the client was made, as a URL reqwest takes
/// (credentials, if the proxy variable had any, back in its user info).
fn proxy_for(
    proxies: &hyper_util::client::proxy::matcher::Matcher,
    url: &url::Url,
) -> Option<url::Url> {
    use base64::Engine;
    let target: http::Uri = url.as_str().parse().ok()?;
    let hit = proxies.intercept(&target)?;
    let mut proxy = url::Url::parse(&hit.uri().to_string()).ok()?;
    if let Some(auth) = hit.basic_auth().and_then(|h| h.to_str().ok()) {
        let decoded = auth
            .strip_prefix("Basic ")
            .and_then(|b64| base64::engine::general_purpose::STANDARD.decode(b64).ok())
            .and_then(|bytes| String::from_utf8(bytes).ok())?;
        let (user, pass) = decoded.split_once(':').unwrap_or((decoded.as_str(), ""));
        proxy.set_username(user).ok()?;
        proxy.set_password(Some(pass)).ok()?;
    }
    Some(proxy)
}

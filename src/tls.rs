//! TLS trust for every connection: rustls with the ring provider, verifying against the
//! operating system's trust store (rustls-platform-verifier) plus any CA certificates the
//! caller adds. There is deliberately no way to skip verification.

use std::sync::Arc;

use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

use crate::error::{Error, ErrorKind, Result};

/// The default TLS setup, built once per process: loading and parsing the operating system's
/// trust store costs milliseconds, which every client would otherwise pay again.
static DEFAULT_TLS: once_cell::sync::Lazy<std::result::Result<rustls::ClientConfig, Error>> =
    once_cell::sync::Lazy::new(|| build(None));

/// rustls with the ring provider, verifying against the operating system's trust store plus
/// any CA certificates the caller added. There is deliberately no way to skip verification.
pub(crate) fn client_config(extra_ca_pem: Option<&str>) -> Result<rustls::ClientConfig> {
    match extra_ca_pem {
        None => DEFAULT_TLS.clone(),
        Some(_) => build(extra_ca_pem),
    }
}

fn build(extra_ca_pem: Option<&str>) -> Result<rustls::ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls_error =
        |e: rustls::Error| Error::new(ErrorKind::Tls, format!("cannot set up TLS: {e}"));
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?;
    let verifier = match extra_ca_pem {
        None => rustls_platform_verifier::Verifier::new(provider).map_err(tls_error)?,
        Some(pem) => {
            let roots = CertificateDer::pem_slice_iter(pem.as_bytes())
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|_| {
                    Error::new(
                        ErrorKind::InvalidOptions,
                        "option 'ca_certificate_pem' is not valid PEM",
                    )
                })?;
            if roots.is_empty() {
                return Err(Error::new(
                    ErrorKind::InvalidOptions,
                    "option 'ca_certificate_pem' holds no CERTIFICATE block",
                ));
            }
            rustls_platform_verifier::Verifier::new_with_extra_roots(roots, provider)
                .map_err(tls_error)?
        }
    };
    Ok(builder
        .dangerous() // a custom verifier, not a disabled one: the platform verifier checks everything
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth())
}

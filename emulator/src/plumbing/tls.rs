//! TLS mode: a throw-away certificate authority and a server certificate it signed, generated
//! at start, so clients can be tested against https with verification left on. The CA's PEM is
//! what a client is given to trust (the library's `ca_certificate_pem` option); nothing here is
//! ever trusted by default, and every start makes a new key pair.

use std::fmt;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::TlsAcceptor;

/// Names the server certificate is valid for.
const SERVER_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];
/// How long the certificates are valid; short enough for every platform verifier (Apple
/// refuses server certificates valid for more than 398 days).
const VALIDITY: Duration = Duration::from_secs(90 * 24 * 3600);
/// Backdating of `notBefore`, so a client clock slightly behind still accepts them.
const BACKDATE: Duration = Duration::from_secs(3600);

/// A generated CA and the server configuration that presents a certificate it signed for
/// `localhost`, `127.0.0.1` and `::1`. Cheap to clone.
#[derive(Clone)]
pub struct TlsIdentity {
    ca_pem: String,
    server: Arc<rustls::ServerConfig>,
}

impl fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The private key stays out of debug output.
        f.debug_struct("TlsIdentity").finish_non_exhaustive()
    }
}

impl TlsIdentity {
    /// Generates a fresh CA (ECDSA P-256) and a server certificate signed by it.
    pub fn generate() -> io::Result<TlsIdentity> {
        let now = time::OffsetDateTime::now_utc();
        let not_before = now - BACKDATE;
        let not_after = now + VALIDITY;

        let ca_key = KeyPair::generate().map_err(tls_error)?;
        let mut ca = CertificateParams::default();
        ca.distinguished_name = name("partnercenter-emulator test CA (generated at start)");
        ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        ca.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        ca.not_before = not_before;
        ca.not_after = not_after;
        let ca_cert = ca.self_signed(&ca_key).map_err(tls_error)?;
        let issuer = Issuer::new(ca, ca_key);

        let server_key = KeyPair::generate().map_err(tls_error)?;
        let names: Vec<String> = SERVER_NAMES.iter().map(|n| (*n).to_owned()).collect();
        let mut server = CertificateParams::new(names).map_err(tls_error)?;
        server.distinguished_name = name("partnercenter-emulator");
        server.is_ca = IsCa::ExplicitNoCa;
        server.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        server.use_authority_key_identifier_extension = true;
        server.not_before = not_before;
        server.not_after = not_after;
        let server_cert = server.signed_by(&server_key, &issuer).map_err(tls_error)?;

        let chain = vec![server_cert.der().clone(), ca_cert.der().clone()];
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(tls_error)?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(tls_error)?;
        // The server speaks HTTP/1.1 only.
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(TlsIdentity {
            ca_pem: ca_cert.pem(),
            server: Arc::new(config),
        })
    }

    /// The CA certificate in PEM: what a client must trust to accept this server.
    pub fn ca_certificate_pem(&self) -> &str {
        &self.ca_pem
    }

    /// The CA certificate in DER.
    pub fn ca_certificate_der(&self) -> CertificateDer<'static> {
        // The PEM was made from valid DER a moment ago; this only reverses it.
        rustls::pki_types::pem::PemObject::from_pem_slice(self.ca_pem.as_bytes())
            .expect("the generated CA PEM parses")
    }

    pub(crate) fn acceptor(&self) -> TlsAcceptor {
        TlsAcceptor::from(Arc::clone(&self.server))
    }
}

fn name(common_name: &str) -> DistinguishedName {
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, common_name);
    name.push(DnType::OrganizationName, "partnercenter-emulator");
    name
}

fn tls_error(error: impl fmt::Display) -> io::Error {
    io::Error::other(format!("cannot set up TLS: {error}"))
}

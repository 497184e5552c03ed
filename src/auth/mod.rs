//! Sign-in: the token cache (`tokens`), Entra ID's token endpoint (`entra`) and the device-code
//! flow (`device`). Knows Entra ID, knows nothing of customers.
//!
//! Floors: `entra` imports config, error, http and service_error; `tokens` also `entra`;
//! `device` also the client, which it ends in. This file only declares and re-exports, and no
//! file of the crate imports through it except the crate's root and `blocking`.

mod device;
pub(crate) mod entra;
pub(crate) mod tokens;

pub use device::{DeviceCodeFlow, DeviceCodeInfo};
pub use tokens::{CredentialKind, MAX_TOKEN_LIFETIME, REFRESH_MARGIN};

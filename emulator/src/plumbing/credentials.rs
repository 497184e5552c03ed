//! Well-known development credentials, like Azurite's `devstoreaccount1`.
//!
//! They are public on purpose: the emulator accepts exactly these, so tests and offline
//! runbooks can sign in without a real tenant.

/// The tenant (domain form) the emulator answers for in `/{tenant}/oauth2/...`.
pub const TENANT: &str = "emulator.onmicrosoft.com";
/// The tenant id (GUID form); accepted wherever [`TENANT`] is.
pub const TENANT_ID: &str = "e1e1e1e1-0000-4000-8000-00000000e1e1";
/// The only application (client) id the emulator knows.
pub const CLIENT_ID: &str = "00000000-0000-0000-0000-00000000e1e1";
/// The client secret of [`CLIENT_ID`].
pub const CLIENT_SECRET: &str = "emulator-client-secret";
/// A refresh token that is always valid (the seed of the App+User flow).
pub const REFRESH_TOKEN: &str = "emulator-refresh-token";
/// The partner id placed in the relationship-request link by default.
pub const PARTNER_ID: &str = "e1e1e1e1-1111-4111-8111-00000000e1e1";

/// The Partner Center API resource (v1 token endpoint `resource`).
pub const RESOURCE: &str = "https://api.partnercenter.microsoft.com";
/// The app-only scope (client credentials).
pub const SCOPE_DEFAULT: &str = "https://api.partnercenter.microsoft.com/.default";
/// The delegated (App+User) scope.
pub const SCOPE_USER_IMPERSONATION: &str =
    "https://api.partnercenter.microsoft.com/user_impersonation";

/// The Microsoft Graph resource (v1 token endpoint `resource`); a v2 scope naming
/// `https://graph.microsoft.com/` buys a Graph token.
pub const GRAPH_RESOURCE: &str = "https://graph.microsoft.com";
/// The Graph app-only scope (client credentials).
pub const GRAPH_SCOPE_DEFAULT: &str = "https://graph.microsoft.com/.default";
/// The Graph delegated (App+User) scope of GDAP.
pub const GRAPH_SCOPE_GDAP: &str =
    "https://graph.microsoft.com/DelegatedAdminRelationship.ReadWrite.All";

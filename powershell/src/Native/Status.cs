namespace PartnerCenterNative;

/// <summary>The status codes of the C ABI (<c>pc_status</c> in include/partnercenter.h).</summary>
public enum Status
{
    /// <summary>PC_OK.</summary>
    Ok = 0,
    /// <summary>PC_ERR_NULL_ARGUMENT.</summary>
    NullArgument = 100,
    /// <summary>PC_ERR_INVALID_UTF8.</summary>
    InvalidUtf8 = 101,
    /// <summary>PC_ERR_INVALID_OPTIONS.</summary>
    InvalidOptions = 102,
    /// <summary>PC_ERR_INSECURE_URL.</summary>
    InsecureUrl = 103,
    /// <summary>PC_ERR_INVALID_ARGUMENT.</summary>
    InvalidArgument = 104,
    /// <summary>PC_ERR_AUTHENTICATION.</summary>
    Authentication = 200,
    /// <summary>PC_ERR_FORBIDDEN.</summary>
    Forbidden = 201,
    /// <summary>PC_ERR_DEVICE_CODE_DECLINED.</summary>
    DeviceCodeDeclined = 202,
    /// <summary>PC_ERR_DEVICE_CODE_EXPIRED.</summary>
    DeviceCodeExpired = 203,
    /// <summary>PC_ERR_CANCELLED.</summary>
    Cancelled = 204,
    /// <summary>PC_ERR_BAD_REQUEST.</summary>
    BadRequest = 300,
    /// <summary>PC_ERR_NOT_FOUND.</summary>
    NotFound = 301,
    /// <summary>PC_ERR_CONFLICT.</summary>
    Conflict = 302,
    /// <summary>PC_ERR_THROTTLED.</summary>
    Throttled = 303,
    /// <summary>PC_ERR_SERVICE.</summary>
    Service = 304,
    /// <summary>PC_ERR_TIMEOUT.</summary>
    Timeout = 400,
    /// <summary>PC_ERR_NETWORK.</summary>
    Network = 401,
    /// <summary>PC_ERR_TLS.</summary>
    Tls = 402,
    /// <summary>PC_ERR_BAD_RESPONSE.</summary>
    BadResponse = 403,
    /// <summary>PC_ERR_RESPONSE_TOO_LARGE.</summary>
    ResponseTooLarge = 404,
    /// <summary>PC_ERR_PANIC.</summary>
    Panic = 900,
    /// <summary>PC_ERR_INTERNAL.</summary>
    Internal = 901,
}

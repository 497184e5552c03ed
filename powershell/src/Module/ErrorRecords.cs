using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;

namespace PartnerCenterNative;

/// <summary>
/// The one mapping from failures to ErrorRecords: from a PartnerCenterException the ErrorId is
/// PartnerCenterNative.&lt;Kind&gt;, the category is mapped from the kind, and ErrorDetails carry the
/// service message with the HTTP status, service code, MS-RequestId and MS-CorrelationId a
/// support ticket needs. Other failures keep the ErrorId and category they are given.
/// </summary>
internal static class ErrorRecords
{
    internal const string NotSignedIn = "Not signed in to Partner Center: run Add-PCAuthentication first.";
    internal const string SignInAction = "Run Add-PCAuthentication -ApplicationId <id> -Tenant <tenant> -RefreshToken <token>, or -UseDeviceAuthentication.";

    /// <summary>An ErrorRecord with a message of the module's own.</summary>
    internal static ErrorRecord Create(string message, string errorId, ErrorCategory category, object? target,
        string? recommendedAction = null)
    {
        var record = new ErrorRecord(new InvalidOperationException(message), errorId, category, target);
        if (recommendedAction is not null)
        {
            record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = recommendedAction };
        }
        return record;
    }

    /// <summary>
    /// The ErrorRecord of a failure the cmdlet explains better than the library: the library's
    /// exception (its kind and ids) kept, the message and recommended action the cmdlet's.
    /// </summary>
    internal static ErrorRecord Explained(PartnerCenterException exception, object? target, string message, string recommendedAction)
    {
        ErrorRecord record = FromException(exception, target);
        record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = recommendedAction };
        return record;
    }

    /// <summary>The ErrorRecord of any failure of a call.</summary>
    internal static ErrorRecord FromException(Exception exception, object? target)
    {
        PartnerCenterException? native = Find(exception);
        if (native is null)
        {
            if (exception is ObjectDisposedException)
            {
                return Create("The Partner Center connection was closed: " + exception.Message,
                    "PartnerCenterNative.ConnectionClosed", ErrorCategory.ResourceUnavailable, target,
                    "Sign in again with Add-PCAuthentication.");
            }
            ErrorCategory other = exception is ArgumentException or FormatException ? ErrorCategory.InvalidArgument : ErrorCategory.NotSpecified;
            return new ErrorRecord(exception, "PartnerCenterNative.Failed", other, target);
        }

        (ErrorCategory category, string? action) = Classify(native);
        var record = new ErrorRecord(native, "PartnerCenterNative." + native.Kind, category, target);
        var ids = new List<string>();
        if (native.HttpStatus is int http)
        {
            ids.Add("HTTP " + http.ToString(CultureInfo.InvariantCulture));
        }
        if (!string.IsNullOrEmpty(native.ServiceCode))
        {
            ids.Add("service code " + native.ServiceCode);
        }
        if (!string.IsNullOrEmpty(native.RequestId))
        {
            ids.Add("MS-RequestId " + native.RequestId);
        }
        if (!string.IsNullOrEmpty(native.CorrelationId))
        {
            ids.Add("MS-CorrelationId " + native.CorrelationId);
        }
        string details = ids.Count > 0 ? native.Message + " (" + string.Join(", ", ids) + ")" : native.Message;
        record.ErrorDetails = new ErrorDetails(details);
        if (native.Kind is "InvalidOptions" or "InsecureUrl" && ParametersNamed(native.Message) is string parameters)
        {
            action = (action is null ? "" : action + " ") + "Set it with Add-PCAuthentication " + parameters + ".";
        }
        if (action is not null)
        {
            record.ErrorDetails.RecommendedAction = action;
        }
        return record;
    }

    /// <summary>The library's option names and the Add-PCAuthentication parameters that set them.</summary>
    private static readonly (string Option, string Parameter)[] OptionParameters =
    {
        ("base_url", "-BaseUrl"),
        ("authority", "-Authority"),
        ("graph_base_url", "-GraphBaseUrl"),
    };

    /// <summary>The parameters of the options a library message names as whole words, or null.</summary>
    private static string? ParametersNamed(string message)
    {
        var words = new HashSet<string>(message.Split(message.Where(c => !(char.IsLetterOrDigit(c) || c == '_')).Distinct().ToArray()),
            StringComparer.Ordinal);
        string[] named = OptionParameters.Where(p => words.Contains(p.Option)).Select(p => p.Parameter).ToArray();
        return named.Length == 0 ? null : string.Join(", ", named);
    }

    private static PartnerCenterException? Find(Exception? exception)
    {
        while (exception is not null && exception is not PartnerCenterException)
        {
            exception = exception.InnerException;
        }
        return exception as PartnerCenterException;
    }

    private static (ErrorCategory, string?) Classify(PartnerCenterException native) => native.Kind switch
    {
        "Authentication" => (ErrorCategory.AuthenticationError,
            "Sign in again with Add-PCAuthentication: the refresh token may have expired or been revoked, or the application id, secret or tenant is wrong."),
        "DeviceCodeDeclined" => (ErrorCategory.AuthenticationError,
            "Run Add-PCAuthentication -UseDeviceAuthentication again and accept the sign-in."),
        "DeviceCodeExpired" => (ErrorCategory.OperationTimeout,
            "Run Add-PCAuthentication -UseDeviceAuthentication again and enter the code before it expires."),
        "Cancelled" => (ErrorCategory.OperationStopped, null),
        "Forbidden" => (ErrorCategory.PermissionDenied,
            "This operation needs App+User credentials: sign in with Add-PCAuthentication -RefreshToken or -UseDeviceAuthentication, as a user with a Partner Center admin or sales agent role."),
        "NotFound" => (ErrorCategory.ObjectNotFound, null),
        "Conflict" => (ErrorCategory.ResourceExists, null),
        "Throttled" => (ErrorCategory.LimitsExceeded, native.RetryAfterSeconds is double seconds
            ? "Partner Center is throttling these requests: wait " + Math.Ceiling(seconds).ToString(CultureInfo.InvariantCulture) + " seconds and try again."
            : null),
        "ResponseTooLarge" => (ErrorCategory.LimitsExceeded, null),
        "Timeout" => (ErrorCategory.OperationTimeout, null),
        "Network" or "Tls" => (ErrorCategory.ConnectionError, null),
        "InsecureUrl" => (ErrorCategory.InvalidArgument,
            "Use an https:// address; plain http:// is accepted only for loopback hosts such as the emulator."),
        "InvalidOptions" or "InvalidArgument" or "NullArgument" or "InvalidUtf8" => (ErrorCategory.InvalidArgument, null),
        "BadRequest" => (ErrorCategory.InvalidOperation, null),
        "BadResponse" => (ErrorCategory.InvalidResult, null),
        _ => (ErrorCategory.NotSpecified, null),
    };
}

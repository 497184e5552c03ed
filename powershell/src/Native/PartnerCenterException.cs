using System;
using System.Collections.Generic;

namespace PartnerCenterNative;

/// <summary>The one exception type of the interop: a failed call, with everything pc_last_error_json says.</summary>
public class PartnerCenterException : Exception
{
    /// <summary>Makes the exception of a failed call.</summary>
    public PartnerCenterException(int status, string statusName, string kind, string message,
        int? httpStatus, string? serviceCode, string? requestId, string? correlationId,
        double? retryAfterSeconds)
        : base(message)
    {
        Status = status;
        StatusName = statusName;
        Kind = kind;
        HttpStatus = httpStatus;
        ServiceCode = serviceCode;
        RequestId = requestId;
        CorrelationId = correlationId;
        RetryAfterSeconds = retryAfterSeconds;
    }

    /// <summary>The pc_status value, e.g. 201.</summary>
    public int Status { get; }

    /// <summary>The status constant's name, e.g. PC_ERR_FORBIDDEN.</summary>
    public string StatusName { get; }

    /// <summary>The error kind, e.g. Forbidden: the stable part of the module's ErrorIds.</summary>
    public string Kind { get; }

    /// <summary>The HTTP status of the failed answer, if there was one.</summary>
    public int? HttpStatus { get; }

    /// <summary>The service's error code (Partner Center code, or AADSTS code from Entra ID).</summary>
    public string? ServiceCode { get; }

    /// <summary>The MS-RequestId of the failed request, for support tickets.</summary>
    public string? RequestId { get; }

    /// <summary>The MS-CorrelationId of the session.</summary>
    public string? CorrelationId { get; }

    /// <summary>How long the service asked to wait (429/503 Retry-After), in seconds.</summary>
    public double? RetryAfterSeconds { get; }

    /// <summary>Reads this thread's last error right after a call returned <paramref name="status"/>.</summary>
    internal static PartnerCenterException FromLastError(int status)
    {
        string? json = Utf8.TakeString(NativeMethods.pc_last_error_json());
        string fallbackName = Utf8.FromNative(NativeMethods.pc_status_name(status)) ?? "PC_ERR_UNKNOWN";
        string fallbackKind = Enum.IsDefined(typeof(Status), status) ? ((Status)status).ToString() : "Unknown";
        if (json is null)
        {
            return new PartnerCenterException(status, fallbackName, fallbackKind, fallbackName,
                null, null, null, null, null);
        }
        Dictionary<string, object?> error = JsonReader.ParseObject(json);
        return new PartnerCenterException(
            status,
            JsonReader.GetString(error, "statusName") ?? fallbackName,
            JsonReader.GetString(error, "kind") ?? fallbackKind,
            JsonReader.GetString(error, "message") ?? fallbackName,
            JsonReader.GetInt(error, "httpStatus"),
            JsonReader.GetString(error, "serviceCode"),
            JsonReader.GetString(error, "requestId"),
            JsonReader.GetString(error, "correlationId"),
            JsonReader.GetDouble(error, "retryAfterSeconds"));
    }

    /// <summary>Throws the last error when <paramref name="status"/> is not PC_OK.</summary>
    internal static void Check(int status)
    {
        if (status != (int)PartnerCenterNative.Status.Ok)
        {
            throw FromLastError(status);
        }
    }

    /// <summary>
    /// Checks a call's status (reading the last error on this thread, right after the call),
    /// then decodes the string the call returned and frees it, whatever happened.
    /// </summary>
    internal static string? CheckAndTake(int status, IntPtr native)
    {
        try
        {
            Check(status);
            return Utf8.FromNative(native);
        }
        finally
        {
            NativeMethods.pc_string_free(native);
        }
    }
}

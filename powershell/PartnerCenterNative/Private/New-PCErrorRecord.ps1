function New-PCErrorRecord {
    # Builds the ErrorRecord every public function reports: from a PartnerCenterException (found
    # anywhere in the exception's InnerException chain) the ErrorId is PartnerCenterNative.<Kind>,
    # the category is mapped from the kind, and ErrorDetails carry the service message with the
    # MS-RequestId and MS-CorrelationId a support ticket needs. Other failures keep the ErrorId,
    # category and message they are given.
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Builds an ErrorRecord in memory only.')]
    [CmdletBinding()]
    [OutputType([System.Management.Automation.ErrorRecord])]
    param(
        [Parameter(Mandatory = $true, ParameterSetName = 'Exception')]
        [System.Exception]
        $Exception,

        [Parameter(Mandatory = $true, ParameterSetName = 'Message')]
        [string]
        $Message,

        [Parameter(ParameterSetName = 'Message')]
        [Parameter(ParameterSetName = 'Exception')]
        [string]
        $ErrorId = 'PartnerCenterNative.Failed',

        [Parameter(ParameterSetName = 'Message')]
        [Parameter(ParameterSetName = 'Exception')]
        [System.Management.Automation.ErrorCategory]
        $Category = [System.Management.Automation.ErrorCategory]::NotSpecified,

        [Parameter(ParameterSetName = 'Message')]
        [Parameter(ParameterSetName = 'Exception')]
        [object]
        $TargetObject,

        [Parameter(ParameterSetName = 'Message')]
        [Parameter(ParameterSetName = 'Exception')]
        [string]
        $RecommendedAction
    )

    if ($PSCmdlet.ParameterSetName -eq 'Message') {
        $Exception = New-Object -TypeName System.InvalidOperationException -ArgumentList $Message
    }

    $native = $Exception
    while ($null -ne $native -and -not ($native -is [PartnerCenterNative.PartnerCenterException])) {
        $native = $native.InnerException
    }

    if ($null -eq $native) {
        $reason = $Exception
        while ($reason -is [System.Management.Automation.MethodInvocationException] -and $null -ne $reason.InnerException) {
            $reason = $reason.InnerException
        }
        if ($reason -is [System.ObjectDisposedException]) {
            $ErrorId = 'PartnerCenterNative.ConnectionClosed'
            $Category = [System.Management.Automation.ErrorCategory]::ResourceUnavailable
            $RecommendedAction = 'Sign in again with Add-PCAuthentication.'
        }
        $record = New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $reason, $ErrorId, $Category, $TargetObject
        if ($RecommendedAction) {
            $record.ErrorDetails = New-Object -TypeName System.Management.Automation.ErrorDetails -ArgumentList $reason.Message
            $record.ErrorDetails.RecommendedAction = $RecommendedAction
        }
        return $record
    }

    $kind = $native.Kind
    switch ($kind) {
        'Authentication' {
            $Category = [System.Management.Automation.ErrorCategory]::AuthenticationError
            $RecommendedAction = 'Sign in again with Add-PCAuthentication: the refresh token may have expired or been revoked, or the application id, secret or tenant is wrong.'
        }
        'DeviceCodeDeclined' {
            $Category = [System.Management.Automation.ErrorCategory]::AuthenticationError
            $RecommendedAction = 'Run Add-PCAuthentication -UseDeviceAuthentication again and accept the sign-in.'
        }
        'DeviceCodeExpired' {
            $Category = [System.Management.Automation.ErrorCategory]::OperationTimeout
            $RecommendedAction = 'Run Add-PCAuthentication -UseDeviceAuthentication again and enter the code before it expires.'
        }
        'Cancelled' {
            $Category = [System.Management.Automation.ErrorCategory]::OperationStopped
        }
        'Forbidden' {
            $Category = [System.Management.Automation.ErrorCategory]::PermissionDenied
            $RecommendedAction = 'This operation needs App+User credentials: sign in with Add-PCAuthentication -RefreshToken or -UseDeviceAuthentication, as a user with a Partner Center admin or sales agent role.'
        }
        'NotFound' {
            $Category = [System.Management.Automation.ErrorCategory]::ObjectNotFound
        }
        'Conflict' {
            $Category = [System.Management.Automation.ErrorCategory]::ResourceExists
        }
        'Throttled' {
            $Category = [System.Management.Automation.ErrorCategory]::LimitsExceeded
            if ($null -ne $native.RetryAfterSeconds) {
                $RecommendedAction = 'Partner Center is throttling these requests: wait {0} seconds and try again.' -f [math]::Ceiling([double]$native.RetryAfterSeconds)
            }
        }
        'ResponseTooLarge' {
            $Category = [System.Management.Automation.ErrorCategory]::LimitsExceeded
        }
        'Timeout' {
            $Category = [System.Management.Automation.ErrorCategory]::OperationTimeout
        }
        'Network' {
            $Category = [System.Management.Automation.ErrorCategory]::ConnectionError
        }
        'Tls' {
            $Category = [System.Management.Automation.ErrorCategory]::ConnectionError
        }
        'InvalidOptions' {
            $Category = [System.Management.Automation.ErrorCategory]::InvalidArgument
        }
        'InvalidArgument' {
            $Category = [System.Management.Automation.ErrorCategory]::InvalidArgument
        }
        'InsecureUrl' {
            $Category = [System.Management.Automation.ErrorCategory]::InvalidArgument
            $RecommendedAction = 'Use an https:// address; plain http:// is accepted only for loopback hosts such as the emulator.'
        }
        'NullArgument' {
            $Category = [System.Management.Automation.ErrorCategory]::InvalidArgument
        }
        'InvalidUtf8' {
            $Category = [System.Management.Automation.ErrorCategory]::InvalidArgument
        }
        'BadRequest' {
            $Category = [System.Management.Automation.ErrorCategory]::InvalidOperation
        }
        'BadResponse' {
            $Category = [System.Management.Automation.ErrorCategory]::InvalidResult
        }
        default {
            $Category = [System.Management.Automation.ErrorCategory]::NotSpecified
        }
    }

    $record = New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $native, ('PartnerCenterNative.' + $kind), $Category, $TargetObject
    $details = $native.Message
    $ids = New-Object -TypeName System.Collections.Generic.List[string]
    if ($native.HttpStatus) {
        $ids.Add(('HTTP {0}' -f $native.HttpStatus))
    }
    if ($native.ServiceCode) {
        $ids.Add(('service code {0}' -f $native.ServiceCode))
    }
    if ($native.RequestId) {
        $ids.Add(('MS-RequestId {0}' -f $native.RequestId))
    }
    if ($native.CorrelationId) {
        $ids.Add(('MS-CorrelationId {0}' -f $native.CorrelationId))
    }
    if ($ids.Count -gt 0) {
        $details = '{0} ({1})' -f $details, ($ids -join ', ')
    }
    $record.ErrorDetails = New-Object -TypeName System.Management.Automation.ErrorDetails -ArgumentList $details
    if ($RecommendedAction) {
        $record.ErrorDetails.RecommendedAction = $RecommendedAction
    }
    return $record
}

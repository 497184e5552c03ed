function Wait-PCDeviceCode {
    # Shows the device-code sign-in message and waits for the user, polling a background wait so
    # that Ctrl+C stays possible: on a stop, the finally block cancels the native wait before the
    # flow is freed. Returns the App+User client; a failure is rethrown as the native exception.
    [CmdletBinding()]
    [OutputType([PartnerCenterNative.ClientHandle])]
    param(
        [Parameter(Mandatory = $true)]
        [PartnerCenterNative.DeviceCodeHandle]
        $Flow
    )

    $prompt = ConvertFrom-Json -InputObject $Flow.PromptJson
    Write-Information -MessageData $prompt.message -Tags 'PartnerCenterNative.DeviceCode'
    Write-Verbose -Message ('Waiting for the sign-in with code {0} at {1} (expires in {2} s).' -f $prompt.userCode, $prompt.verificationUri, $prompt.expiresIn)

    $wait = $Flow.StartWait()
    $finished = $false
    try {
        while (-not $wait.IsCompleted) {
            Start-Sleep -Milliseconds 200
        }
        $finished = $true
    }
    finally {
        if (-not $finished) {
            $Flow.Cancel()
            try {
                [void]$wait.Wait(30000)
            }
            catch {
                Write-Verbose -Message 'The device-code sign-in was cancelled.'
            }
            if ($wait.Status -eq [System.Threading.Tasks.TaskStatus]::RanToCompletion) {
                $wait.Result.Dispose()
            }
        }
    }

    if ($wait.IsFaulted) {
        throw $wait.Exception.InnerException
    }
    return $wait.Result
}

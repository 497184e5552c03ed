function ConvertTo-PCOptionsJson {
    # The client options as the C ABI reads them: a JSON object with snake_case keys. Entries whose
    # value is $null are left out, so the library's defaults apply. ConvertTo-Json escapes the values
    # (quotes, backslashes, control characters) on Windows PowerShell 5.1 and PowerShell 7 alike.
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [System.Collections.IDictionary]
        $Options
    )

    $present = [ordered]@{}
    foreach ($key in $Options.Keys) {
        if ($null -ne $Options[$key]) {
            $present[$key] = $Options[$key]
        }
    }
    return (ConvertTo-Json -InputObject $present -Compress -Depth 2)
}

function Get-PCBillingProfileETag {
    # The attributes.etag of a billing profile read with ConvertFrom-Json, or $null when it has
    # none (read through PSObject.Properties: the module runs under Set-StrictMode 3.0).
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [psobject]
        $BillingProfile
    )

    $attributes = $BillingProfile.PSObject.Properties['attributes']
    if ($null -eq $attributes -or $null -eq $attributes.Value) {
        return $null
    }
    $etag = $attributes.Value.PSObject.Properties['etag']
    if ($null -eq $etag) {
        return $null
    }
    return [string]$etag.Value
}

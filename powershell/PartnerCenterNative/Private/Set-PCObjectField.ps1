function Set-PCObjectField {
    # Sets a field of an object read with ConvertFrom-Json, adding it when the object lacks it
    # (assigning a missing property fails on a PSCustomObject).
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Changes an object in memory only; the public command that calls it decides about ShouldProcess.')]
    [CmdletBinding()]
    [OutputType([void])]
    param(
        [Parameter(Mandatory = $true)]
        [psobject]
        $InputObject,

        [Parameter(Mandatory = $true)]
        [string]
        $Name,

        [AllowNull()]
        [AllowEmptyString()]
        [object]
        $Value
    )

    $property = $InputObject.PSObject.Properties[$Name]
    if ($null -ne $property) {
        $property.Value = $Value
    }
    else {
        $InputObject.PSObject.Properties.Add((New-Object -TypeName System.Management.Automation.PSNoteProperty -ArgumentList $Name, $Value))
    }
}

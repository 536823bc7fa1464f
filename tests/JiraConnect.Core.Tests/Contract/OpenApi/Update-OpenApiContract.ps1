<#
.SYNOPSIS
    Writes the trimmed Atlassian OpenAPI documents the contract tests validate against.

.DESCRIPTION
    Reads the full Jira Cloud platform and Jira Software Data Center OpenAPI documents and writes, beside this
    script, cloud.openapi.json and datacenter.openapi.json: only the operations listed in Operations.txt, with
    every component they reference (the $ref closure), the security schemes they name, the servers, and the
    source document's title and version in info. The output depends only on the inputs: members keep the
    source document's order, so a rerun on the same documents writes the same bytes.

    Run it again on a newer full document after Atlassian publishes one, or after adding an operation to
    Operations.txt, then run the xunit contract tests.

.EXAMPLE
    ./Update-OpenApiContract.ps1 -CloudDocument ~/Downloads/swagger-v3.v3.json -DataCenterDocument ~/Downloads/jira-software-dc.json
#>
[CmdletBinding()]
param(
    # The full Jira Cloud platform REST API v3 OpenAPI document.
    [Parameter(Mandatory)]
    [string] $CloudDocument,

    # The full Jira Software Data Center OpenAPI document.
    [Parameter(Mandatory)]
    [string] $DataCenterDocument,

    # The operations to keep ([cloud] and [datacenter] sections of "METHOD /path" and "schema Name" lines).
    [string] $OperationList = (Join-Path $PSScriptRoot 'Operations.txt'),

    # Where the trimmed documents are written.
    [string] $OutputFolder = $PSScriptRoot
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$Methods = 'get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'

function Read-OperationList([string] $Path) {
    $sections = @{}
    $current = $null
    $number = 0
    foreach ($line in [IO.File]::ReadAllLines((Resolve-Path -LiteralPath $Path).ProviderPath)) {
        $number++
        $text = $line.Trim()
        if ($text -eq '' -or $text.StartsWith('#')) { continue }
        if ($text -match '^\[(\w+)\]$') {
            $current = @{ Operations = [Collections.Generic.List[object]]::new(); Schemas = [Collections.Generic.List[string]]::new() }
            $sections[$Matches[1].ToLowerInvariant()] = $current
            continue
        }
        if ($null -eq $current) { throw "${Path}:${number}: '$text' comes before any [cloud] or [datacenter] heading." }
        if ($text -match '^schema\s+(\S+)$') { $current.Schemas.Add($Matches[1]); continue }
        if ($text -match '^([A-Za-z]+)\s+(/\S*)$' -and $Methods -contains $Matches[1].ToLowerInvariant()) {
            $current.Operations.Add([pscustomobject]@{ Method = $Matches[1].ToLowerInvariant(); Path = $Matches[2] })
            continue
        }
        throw "${Path}:${number}: '$text' is neither 'METHOD /path' nor 'schema Name'."
    }
    foreach ($name in 'cloud', 'datacenter') {
        if (-not $sections.ContainsKey($name)) { throw "$Path has no [$name] section." }
    }
    $sections
}

function Get-JsonMember($Element, [string] $Name) {
    $value = [Text.Json.JsonElement]::new()
    if ($null -ne $Element -and $Element.ValueKind -eq 'Object' -and $Element.TryGetProperty($Name, [ref] $value)) { return , $value }
    $null
}

# Every "$ref" string under an element (iterative: schemas nest deeply).
function Get-Reference([Text.Json.JsonElement] $Element) {
    $stack = [Collections.Generic.Stack[Text.Json.JsonElement]]::new()
    $stack.Push($Element)
    while ($stack.Count -gt 0) {
        $node = $stack.Pop()
        if ($node.ValueKind -eq 'Object') {
            foreach ($property in $node.EnumerateObject()) {
                if ($property.Name -eq '$ref' -and $property.Value.ValueKind -eq 'String') { $property.Value.GetString() }
                else { $stack.Push($property.Value) }
            }
        }
        elseif ($node.ValueKind -eq 'Array') {
            foreach ($item in $node.EnumerateArray()) { $stack.Push($item) }
        }
    }
}

# The names of the security schemes a list of security requirement objects uses.
function Get-SecuritySchemeName($Security) {
    if ($null -eq $Security) { return }
    foreach ($requirement in $Security.EnumerateArray()) {
        foreach ($property in $requirement.EnumerateObject()) { $property.Name }
    }
}

function Export-TrimmedDocument([string] $Source, $Selection, [string] $Destination) {
    $bytes = [IO.File]::ReadAllBytes((Resolve-Path -LiteralPath $Source).ProviderPath)
    $document = [Text.Json.JsonDocument]::Parse([ReadOnlyMemory[byte]]::new($bytes), [Text.Json.JsonDocumentOptions]@{ MaxDepth = 256 })
    try {
        $root = $document.RootElement
        $info = Get-JsonMember $root 'info'
        $title = (Get-JsonMember $info 'title').GetString()
        $version = (Get-JsonMember $info 'version').GetString()
        $paths = Get-JsonMember $root 'paths'

        # The kept operations, by path, checked against the document.
        $keep = @{}
        foreach ($operation in $Selection.Operations) {
            $item = Get-JsonMember $paths $operation.Path
            if ($null -eq $item -or $null -eq (Get-JsonMember $item $operation.Method)) {
                throw "$title $version has no operation $($operation.Method.ToUpperInvariant()) $($operation.Path) (listed in $OperationList)."
            }
            if (-not $keep.ContainsKey($operation.Path)) { $keep[$operation.Path] = [Collections.Generic.HashSet[string]]::new() }
            $null = $keep[$operation.Path].Add($operation.Method)
        }

        # The $ref closure over components, and the security schemes the operations name.
        $pending = [Collections.Generic.Queue[string]]::new()
        $references = [Collections.Generic.HashSet[string]]::new([StringComparer]::Ordinal)
        $schemes = [Collections.Generic.HashSet[string]]::new([StringComparer]::Ordinal)
        foreach ($name in Get-SecuritySchemeName (Get-JsonMember $root 'security')) { $null = $schemes.Add($name) }
        $enqueue = { param($reference) if ($references.Add($reference)) { $pending.Enqueue($reference) } }
        foreach ($schema in $Selection.Schemas) { & $enqueue "#/components/schemas/$schema" }
        foreach ($path in $paths.EnumerateObject()) {
            if (-not $keep.ContainsKey($path.Name)) { continue }
            foreach ($member in $path.Value.EnumerateObject()) {
                if ($Methods -contains $member.Name -and -not $keep[$path.Name].Contains($member.Name)) { continue }
                foreach ($reference in Get-Reference $member.Value) { & $enqueue $reference }
                if ($Methods -contains $member.Name) {
                    foreach ($name in Get-SecuritySchemeName (Get-JsonMember $member.Value 'security')) { $null = $schemes.Add($name) }
                }
            }
        }
        $components = Get-JsonMember $root 'components'
        while ($pending.Count -gt 0) {
            $reference = $pending.Dequeue()
            if ($reference -notmatch '^#/components/([^/]+)/([^/]+)$') { throw "$title ${version}: unsupported reference '$reference'." }
            $target = Get-JsonMember (Get-JsonMember $components $Matches[1]) ($Matches[2].Replace('~1', '/').Replace('~0', '~'))
            if ($null -eq $target) { throw "$title ${version}: '$reference' does not resolve." }
            foreach ($next in Get-Reference $target) { & $enqueue $next }
        }
        foreach ($name in $schemes) {
            if ($null -eq (Get-JsonMember (Get-JsonMember $components 'securitySchemes') $name)) { throw "$title ${version}: security scheme '$name' is not defined." }
        }

        $options = [Text.Json.JsonWriterOptions]@{ Indented = $true; Encoder = [Text.Encodings.Web.JavaScriptEncoder]::UnsafeRelaxedJsonEscaping }
        if ($null -ne $options.PSObject.Properties['NewLine']) { $options.NewLine = "`n" }
        $stream = [IO.MemoryStream]::new()
        $writer = [Text.Json.Utf8JsonWriter]::new($stream, $options)
        $writer.WriteStartObject()
        $writer.WriteString('openapi', (Get-JsonMember $root 'openapi').GetString())
        $writer.WriteStartObject('info')
        $writer.WriteString('title', $title)
        $writer.WriteString('version', $version)
        $writer.WriteString('description', "Trimmed copy of this document for the JiraConnect contract tests: the operations in Operations.txt and the components they reference, written by Update-OpenApiContract.ps1.")
        $writer.WriteEndObject()
        foreach ($name in 'servers', 'security') {
            $value = Get-JsonMember $root $name
            if ($null -ne $value) { $writer.WritePropertyName($name); $value.WriteTo($writer) }
        }
        $writer.WriteStartObject('paths')
        foreach ($path in $paths.EnumerateObject()) {
            if (-not $keep.ContainsKey($path.Name)) { continue }
            $writer.WriteStartObject($path.Name)
            foreach ($member in $path.Value.EnumerateObject()) {
                if ($Methods -contains $member.Name -and -not $keep[$path.Name].Contains($member.Name)) { continue }
                $member.WriteTo($writer)
            }
            $writer.WriteEndObject()
        }
        $writer.WriteEndObject()
        $writer.WriteStartObject('components')
        foreach ($kind in $components.EnumerateObject()) {
            $kept = @($kind.Value.EnumerateObject() | Where-Object {
                    if ($kind.Name -eq 'securitySchemes') { $schemes.Contains($_.Name) }
                    else { $references.Contains("#/components/$($kind.Name)/$($_.Name.Replace('~', '~0').Replace('/', '~1'))") }
                })
            if ($kept.Count -eq 0) { continue }
            $writer.WriteStartObject($kind.Name)
            foreach ($member in $kept) { $member.WriteTo($writer) }
            $writer.WriteEndObject()
        }
        $writer.WriteEndObject()
        $writer.WriteEndObject()
        $writer.Flush()
        $stream.WriteByte(10)
        [IO.File]::WriteAllBytes($Destination, $stream.ToArray())
        [pscustomobject]@{
            Document   = "$title $version"
            Path       = $Destination
            Operations = $Selection.Operations.Count
            Components = $references.Count
            Bytes      = $stream.Length
        }
    }
    finally {
        $document.Dispose()
    }
}

$selection = Read-OperationList $OperationList
$null = New-Item -ItemType Directory -Force -Path $OutputFolder
Export-TrimmedDocument $CloudDocument $selection['cloud'] (Join-Path $OutputFolder 'cloud.openapi.json')
Export-TrimmedDocument $DataCenterDocument $selection['datacenter'] (Join-Path $OutputFolder 'datacenter.openapi.json')

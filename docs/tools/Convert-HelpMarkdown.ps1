<#
.SYNOPSIS
    Converts platyPS-format markdown help into MAML command help and about_*.help.txt topics.

.DESCRIPTION
    Reads the cmdlet help pages, the module page and the about topics in a folder of markdown written in
    the platyPS schema 2.0.0 format (the format New-MarkdownHelp produces) and writes:

    - <external help file> (for example JiraConnect.dll-Help.xml): MAML command help, one
      command:command element per cmdlet page, in the shape Get-Help reads for binary cmdlets.
    - about_<Topic>.help.txt: one plain-text topic per about_*.md file.

    Module pages (front matter with "Module Guid" or without "external help file") are not converted.
    The markdown is checked while it is read: an unknown section, a parameter without a yaml block, an
    unknown yaml key, or a page without a synopsis stops the conversion with an error that names the file
    and line.

    The script runs in Windows PowerShell 5.1 and PowerShell 7 and needs no other module.

.PARAMETER Path
    The folder that holds the markdown files, or a single markdown file.

.PARAMETER OutputPath
    The folder to write the MAML and about files to, for example out/JiraConnect/en-US. It is created when
    it does not exist. Existing files with the same names are replaced.

.PARAMETER ModuleName
    The module the help belongs to. Used as the default external help file name (<ModuleName>.dll-Help.xml)
    for pages whose front matter does not name one, and to check the "Module Name" of each page.

.PARAMETER PassThru
    Returns the files written. By default the script writes no output; -Verbose lists what it converts.

.EXAMPLE
    ./docs/tools/Convert-HelpMarkdown.ps1 -Path docs/en-US -OutputPath out/JiraConnect/en-US -ModuleName JiraConnect

    Writes out/JiraConnect/en-US/JiraConnect.dll-Help.xml and out/JiraConnect/en-US/about_JiraConnect.help.txt.

.OUTPUTS
    None, or System.IO.FileInfo for each file written with -PassThru.
#>
[CmdletBinding()]
[OutputType([System.IO.FileInfo])]
param(
    [Parameter(Mandatory = $true, Position = 0)]
    [string] $Path,

    [Parameter(Mandatory = $true, Position = 1)]
    [string] $OutputPath,

    [Parameter(Mandatory = $true)]
    [string] $ModuleName,

    [switch] $PassThru
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

$NsMaml = 'http://schemas.microsoft.com/maml/2004/10'
$NsCommand = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$NsDev = 'http://schemas.microsoft.com/maml/dev/2004/10'
$NsMSHelp = 'http://msdn.microsoft.com/mshelp'

$KnownYamlKeys = @(
    'Type', 'Parameter Sets', 'Aliases', 'Accepted values', 'Required', 'Position',
    'Default value', 'Accept pipeline input', 'Accept wildcard characters'
)
$AllSets = '__AllParameterSets'

#region Markdown reading

function New-HelpSchemaError {
    param([string] $File, [int] $Line, [string] $Message)
    $text = '{0}:{1}: {2}' -f $File, $Line, $Message
    $exception = [System.IO.InvalidDataException]::new($text)
    return [System.Management.Automation.ErrorRecord]::new($exception, 'HelpMarkdownInvalid', [System.Management.Automation.ErrorCategory]::InvalidData, $File)
}

function Read-MarkdownFile {
    # Returns @{ FrontMatter = ordered dictionary; Blocks = list of blocks }.
    # Block kinds: Heading (Level, Text), Code (Info, Text), Paragraph (Text), ListItem (Marker, Text).
    param([string] $File)

    $raw = [System.IO.File]::ReadAllText($File, [System.Text.Encoding]::UTF8)
    $raw = $raw.Replace("`r`n", "`n").Replace("`r", "`n")
    $lines = $raw.Split("`n")

    $front = [System.Collections.Specialized.OrderedDictionary]::new([System.StringComparer]::OrdinalIgnoreCase)
    $i = 0
    if ($lines.Length -gt 0 -and $lines[0].Trim() -eq '---') {
        $i = 1
        $closed = $false
        while ($i -lt $lines.Length) {
            $line = $lines[$i]
            $i++
            if ($line.Trim() -eq '---') { $closed = $true; break }
            $m = [regex]::Match($line, '^\s*([^:]+?)\s*:\s*(.*?)\s*$')
            if ($m.Success) { $front[$m.Groups[1].Value] = $m.Groups[2].Value }
        }
        if (-not $closed) { throw (New-HelpSchemaError $File 1 'The front matter is not closed with ---.') }
    }

    $blocks = [System.Collections.Generic.List[object]]::new()
    $para = $null
    $paraKind = $null
    $paraMarker = $null
    $paraLine = 0

    # Dot-sourced below, so it runs in this function's scope and resets its variables.
    $flush = {
        if ($null -ne $para) {
            $blocks.Add([pscustomobject]@{ Kind = $paraKind; Marker = $paraMarker; Text = ($para -join ' '); Line = $paraLine })
        }
        $para = $null
        $paraKind = $null
        $paraMarker = $null
    }

    while ($i -lt $lines.Length) {
        $line = $lines[$i]
        $lineNumber = $i + 1
        $i++

        $fence = [regex]::Match($line, '^(\s{0,3})(`{3,}|~{3,})\s*([^`\s]*)')
        if ($fence.Success) {
            . $flush
            $indent = $fence.Groups[1].Value.Length
            $marker = $fence.Groups[2].Value
            $info = $fence.Groups[3].Value
            $code = [System.Collections.Generic.List[string]]::new()
            $closed = $false
            while ($i -lt $lines.Length) {
                $codeLine = $lines[$i]
                $i++
                if ($codeLine.Trim().StartsWith($marker) -and $codeLine.Trim().Trim($marker[0]).Length -eq 0) { $closed = $true; break }
                if ($indent -gt 0 -and $codeLine.Length -ge $indent -and $codeLine.Substring(0, $indent).Trim().Length -eq 0) {
                    $codeLine = $codeLine.Substring($indent)
                }
                $code.Add($codeLine.TrimEnd())
            }
            if (-not $closed) { throw (New-HelpSchemaError $File $lineNumber 'A code block is not closed.') }
            $blocks.Add([pscustomobject]@{ Kind = 'Code'; Info = $info; Text = ($code -join "`n"); Line = $lineNumber })
            continue
        }

        # An indented code block (four spaces or a tab) starts after a blank line, outside a paragraph and a list,
        # and keeps its lines: blank lines inside it stay when more indented lines follow.
        if ($null -eq $para -and $line -match '^( {4}|\t)\S' -and -not ($blocks.Count -gt 0 -and $blocks[$blocks.Count - 1].Kind -eq 'ListItem')) {
            $code = [System.Collections.Generic.List[string]]::new()
            $code.Add(($line -replace '^( {4}|\t)', '').TrimEnd())
            while ($i -lt $lines.Length) {
                $next = $lines[$i]
                if ($next -match '^( {4}|\t)') { $code.Add(($next -replace '^( {4}|\t)', '').TrimEnd()); $i++; continue }
                if ($next.Trim().Length -eq 0) {
                    $j = $i
                    while ($j -lt $lines.Length -and $lines[$j].Trim().Length -eq 0) { $j++ }
                    if ($j -lt $lines.Length -and $lines[$j] -match '^( {4}|\t)\S') {
                        for ($k = $i; $k -lt $j; $k++) { $code.Add('') }
                        $i = $j
                        continue
                    }
                }
                break
            }
            $blocks.Add([pscustomobject]@{ Kind = 'Code'; Info = ''; Text = ($code -join "`n"); Line = $lineNumber })
            continue
        }

        $heading = [regex]::Match($line, '^(#{1,6})\s+(.*?)\s*#*\s*$')
        if ($heading.Success) {
            . $flush
            $blocks.Add([pscustomobject]@{ Kind = 'Heading'; Level = $heading.Groups[1].Value.Length; Text = $heading.Groups[2].Value; Line = $lineNumber })
            continue
        }

        if ($line.Trim().Length -eq 0) {
            . $flush
            continue
        }

        $item = [regex]::Match($line, '^\s{0,3}([-*+]|\d{1,3}[.)])\s+(.*)$')
        if ($item.Success) {
            . $flush
            $para = [System.Collections.Generic.List[string]]::new()
            $para.Add($item.Groups[2].Value.Trim())
            $paraKind = 'ListItem'
            $paraMarker = $item.Groups[1].Value
            $paraLine = $lineNumber
            continue
        }

        if ($null -eq $para) {
            $para = [System.Collections.Generic.List[string]]::new()
            $paraKind = 'Paragraph'
            $paraMarker = $null
            $paraLine = $lineNumber
        }
        $para.Add($line.Trim())
    }
    . $flush

    return [pscustomobject]@{ FrontMatter = $front; Blocks = $blocks; File = $File }
}

function ConvertFrom-MarkdownInline {
    # Plain text for help: code spans lose their backticks, links become "text (url)" (or just "text"
    # for links to other help pages), emphasis markers and backslash escapes are removed.
    param([string] $Text)

    if ([string]::IsNullOrEmpty($Text)) { return $Text }
    $parts = [regex]::Split($Text, '(`+[^`]+?`+)')
    $sb = [System.Text.StringBuilder]::new()
    foreach ($part in $parts) {
        if ($part.Length -ge 2 -and $part.StartsWith('`') -and $part.EndsWith('`')) {
            [void] $sb.Append($part.Trim('`').Trim())
            continue
        }
        $t = $part
        $t = [regex]::Replace($t, '!?\[([^\]]*)\]\(([^)\s]*)(?:\s+"[^"]*")?\)', {
                param($m)
                $label = $m.Groups[1].Value
                $url = $m.Groups[2].Value
                if ($url -match '^[a-zA-Z][a-zA-Z0-9+.-]*://' -and $url -ne $label) { return '{0} ({1})' -f $label, $url }
                return $label
            })
        $t = [regex]::Replace($t, '<((?:https?|mailto):[^>\s]+)>', '$1')
        $t = [regex]::Replace($t, '\*\*(.+?)\*\*', '$1')
        $t = [regex]::Replace($t, '(?<![\w])__(.+?)__(?![\w])', '$1')
        $t = [regex]::Replace($t, '\\([\\`*_{}\[\]()#+\-.!<>|])', '$1')
        [void] $sb.Append($t)
    }
    return $sb.ToString()
}

function Get-LinkFromText {
    # Related links: [text](uri) gives text and uri; a link to a local .md page keeps only the text,
    # because Get-Help finds help by name, not by file. Anything else is link text without uri.
    param([string] $Text)
    $m = [regex]::Match($Text, '^\s*\[([^\]]+)\]\(([^)\s]*)\)\s*$')
    if ($m.Success) {
        $uri = $m.Groups[2].Value
        if ($uri -notmatch '^[a-zA-Z][a-zA-Z0-9+.-]*://') { $uri = '' }
        return [pscustomobject]@{ Text = (ConvertFrom-MarkdownInline $m.Groups[1].Value); Uri = $uri }
    }
    return [pscustomobject]@{ Text = (ConvertFrom-MarkdownInline $Text.Trim()); Uri = '' }
}

function ConvertTo-Paragraphs {
    # Markdown blocks of a section to help paragraphs (strings). A code block becomes one paragraph
    # that keeps its lines, indented by four spaces so it stands out in Get-Help output.
    param([object[]] $Blocks)
    $result = [System.Collections.Generic.List[string]]::new()
    foreach ($b in $Blocks) {
        switch ($b.Kind) {
            'Paragraph' { $result.Add((ConvertFrom-MarkdownInline $b.Text)) }
            'ListItem' {
                $marker = $b.Marker
                if ($marker -match '^[-*+]$') { $marker = '-' }
                $result.Add(($marker + ' ' + (ConvertFrom-MarkdownInline $b.Text)))
            }
            'Code' {
                $codeLines = $b.Text.Split("`n") | ForEach-Object { '    ' + $_ }
                $result.Add(($codeLines -join [Environment]::NewLine))
            }
        }
    }
    return , $result.ToArray()
}

#endregion

#region Command page model

function Split-Sections {
    # Groups blocks after a heading of the given level until the next heading of that level or higher.
    param([object[]] $Blocks, [int] $Level)
    $sections = [System.Collections.Generic.List[object]]::new()
    $current = $null
    foreach ($b in $Blocks) {
        if ($b.Kind -eq 'Heading' -and $b.Level -le $Level) {
            if ($b.Level -lt $Level) { break }
            $current = [pscustomobject]@{ Heading = $b; Blocks = [System.Collections.Generic.List[object]]::new() }
            $sections.Add($current)
            continue
        }
        if ($null -ne $current) { $current.Blocks.Add($b) }
    }
    return , $sections.ToArray()
}

function ConvertFrom-ParameterYaml {
    param([object] $CodeBlock, [string] $File)
    $pairs = [System.Collections.Specialized.OrderedDictionary]::new([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($line in $CodeBlock.Text.Split("`n")) {
        if ($line.Trim().Length -eq 0) { continue }
        $m = [regex]::Match($line, '^\s*([^:]+?)\s*:\s*(.*?)\s*$')
        if (-not $m.Success) { throw (New-HelpSchemaError $File $CodeBlock.Line ("Invalid yaml line in a parameter block: '{0}'." -f $line)) }
        $key = $m.Groups[1].Value
        if ($KnownYamlKeys -notcontains $key) { throw (New-HelpSchemaError $File $CodeBlock.Line ("Unknown yaml key '{0}' in a parameter block." -f $key)) }
        $pairs[$key] = $m.Groups[2].Value
    }
    return $pairs
}

function Split-List {
    param([string] $Value)
    if ([string]::IsNullOrEmpty($Value)) { return , @() }
    return , @($Value.Split(',') | ForEach-Object { $_.Trim() } | Where-Object { $_.Length -gt 0 })
}

function New-ParameterVariant {
    param([string] $Name, [string[]] $Description, [System.Collections.Specialized.OrderedDictionary] $Yaml)

    $type = [string] $Yaml['Type']
    if ($type -eq 'switch') { $type = 'SwitchParameter' }
    $position = [string] $Yaml['Position']
    if ([string]::IsNullOrEmpty($position)) { $position = 'named' }
    $pipeline = [string] $Yaml['Accept pipeline input']
    if ([string]::IsNullOrEmpty($pipeline)) { $pipeline = 'False' }
    $default = [string] $Yaml['Default value']
    if ([string]::IsNullOrEmpty($default)) { $default = 'None' }
    $sets = Split-List ([string] $Yaml['Parameter Sets'])
    if ($sets.Count -eq 0 -or ($sets.Count -eq 1 -and $sets[0] -eq '(All)')) { $sets = @($AllSets) }

    return [pscustomobject]@{
        Name           = $Name
        Description    = $Description
        Type           = $type
        Sets           = $sets
        Aliases        = (Split-List ([string] $Yaml['Aliases']))
        AcceptedValues = (Split-List ([string] $Yaml['Accepted values']))
        Required       = ([string] $Yaml['Required']) -eq 'true'
        Position       = $position.ToLowerInvariant()
        DefaultValue   = $default
        PipelineInput  = $pipeline
        Globbing       = ([string] $Yaml['Accept wildcard characters']) -eq 'true'
        IsSwitch       = ($type -eq 'SwitchParameter')
        VariableLength = $type.EndsWith('[]')
    }
}

function ConvertFrom-CommandPage {
    param([object] $Page)

    $file = $Page.File
    $blocks = @($Page.Blocks)
    $title = $blocks | Where-Object { $_.Kind -eq 'Heading' -and $_.Level -eq 1 } | Select-Object -First 1
    if ($null -eq $title) { throw (New-HelpSchemaError $file 1 'The page has no "# Command-Name" heading.') }
    $name = $title.Text.Trim()
    $after = @($blocks | Where-Object { $_.Line -gt $title.Line })

    $command = [pscustomobject]@{
        Name         = $name
        Synopsis     = @()
        Description  = @()
        SyntaxSets   = [System.Collections.Generic.List[object]]::new()
        Parameters   = [System.Collections.Generic.List[object]]::new()
        Inputs       = [System.Collections.Generic.List[object]]::new()
        Outputs      = [System.Collections.Generic.List[object]]::new()
        Notes        = @()
        Examples     = [System.Collections.Generic.List[object]]::new()
        Links        = [System.Collections.Generic.List[object]]::new()
        File         = $file
    }

    $online = $Page.FrontMatter['online version']
    if (-not [string]::IsNullOrEmpty($online)) {
        $command.Links.Add([pscustomobject]@{ Text = 'Online Version:'; Uri = $online })
    }

    foreach ($section in (Split-Sections $after 2)) {
        $sectionName = $section.Heading.Text.Trim().ToUpperInvariant()
        $body = @($section.Blocks)
        switch ($sectionName) {
            'SYNOPSIS' { $command.Synopsis = ConvertTo-Paragraphs $body }
            'DESCRIPTION' { $command.Description = ConvertTo-Paragraphs $body }
            'NOTES' { $command.Notes = ConvertTo-Paragraphs $body }
            'SYNTAX' {
                $pendingName = $AllSets
                $isDefault = $false
                foreach ($b in $body) {
                    if ($b.Kind -eq 'Heading') {
                        $setName = $b.Text.Trim()
                        $isDefault = $setName -match '\s*\(Default\)$'
                        $pendingName = ($setName -replace '\s*\(Default\)$', '').Trim()
                    }
                    elseif ($b.Kind -eq 'Code') {
                        $command.SyntaxSets.Add([pscustomobject]@{ Name = $pendingName; IsDefault = $isDefault; Text = $b.Text })
                        $pendingName = $AllSets
                        $isDefault = $false
                    }
                }
            }
            'EXAMPLES' {
                foreach ($ex in (Split-Sections $body 3)) {
                    $code = [System.Collections.Generic.List[string]]::new()
                    $remarkBlocks = [System.Collections.Generic.List[object]]::new()
                    foreach ($b in $ex.Blocks) {
                        if ($b.Kind -eq 'Code') { $code.Add($b.Text) } else { $remarkBlocks.Add($b) }
                    }
                    $command.Examples.Add([pscustomobject]@{
                            Title   = (ConvertFrom-MarkdownInline $ex.Heading.Text.Trim())
                            Code    = ($code -join ([Environment]::NewLine + [Environment]::NewLine)).Replace("`n", [Environment]::NewLine)
                            Remarks = (ConvertTo-Paragraphs $remarkBlocks.ToArray())
                            Line    = $ex.Heading.Line
                        })
                }
            }
            'PARAMETERS' {
                foreach ($p in (Split-Sections $body 3)) {
                    $paramName = $p.Heading.Text.Trim()
                    if ($paramName -eq 'CommonParameters' -or $paramName -eq 'WorkflowParameters') { continue }
                    if (-not $paramName.StartsWith('-')) { throw (New-HelpSchemaError $file $p.Heading.Line ("Parameter heading '{0}' must start with '-'." -f $paramName)) }
                    $paramName = $paramName.Substring(1)
                    $descBlocks = @($p.Blocks | Where-Object { $_.Kind -ne 'Code' })
                    $yamlBlocks = @($p.Blocks | Where-Object { $_.Kind -eq 'Code' })
                    if ($yamlBlocks.Count -eq 0) { throw (New-HelpSchemaError $file $p.Heading.Line ("Parameter -{0} has no yaml block." -f $paramName)) }
                    $description = ConvertTo-Paragraphs $descBlocks
                    $variants = [System.Collections.Generic.List[object]]::new()
                    foreach ($y in $yamlBlocks) {
                        $variants.Add((New-ParameterVariant -Name $paramName -Description $description -Yaml (ConvertFrom-ParameterYaml $y $file)))
                    }
                    $command.Parameters.Add([pscustomobject]@{ Name = $paramName; Variants = $variants.ToArray(); Line = $p.Heading.Line })
                }
            }
            { $_ -eq 'INPUTS' -or $_ -eq 'OUTPUTS' } {
                $target = $command.Inputs
                if ($sectionName -eq 'OUTPUTS') { $target = $command.Outputs }
                foreach ($t in (Split-Sections $body 3)) {
                    $target.Add([pscustomobject]@{ TypeName = (ConvertFrom-MarkdownInline $t.Heading.Text.Trim()); Description = (ConvertTo-Paragraphs @($t.Blocks)) })
                }
            }
            'RELATED LINKS' {
                foreach ($b in $body) {
                    if ($b.Kind -eq 'Paragraph' -or $b.Kind -eq 'ListItem') { $command.Links.Add((Get-LinkFromText $b.Text)) }
                }
            }
            default {
                throw (New-HelpSchemaError $file $section.Heading.Line ("Unexpected section '## {0}'." -f $section.Heading.Text))
            }
        }
    }

    if ($command.Synopsis.Count -eq 0) { throw (New-HelpSchemaError $file $title.Line ('{0} has no SYNOPSIS.' -f $name)) }
    return $command
}

function Get-SyntaxItems {
    # One entry per parameter set: its name and the parameter variants that belong to it, ordered as the
    # SYNTAX block of that set lists them (positional parameters by position when it has no block).
    param([object] $Command)

    $setNames = [System.Collections.Generic.List[string]]::new()
    foreach ($s in $Command.SyntaxSets) { if ($s.Name -ne $AllSets -and -not $setNames.Contains($s.Name)) { $setNames.Add($s.Name) } }
    foreach ($p in $Command.Parameters) {
        foreach ($v in $p.Variants) {
            foreach ($set in $v.Sets) {
                if ($set -ne $AllSets -and -not ($setNames | Where-Object { $_ -eq $set })) { $setNames.Add($set) }
            }
        }
    }
    if ($setNames.Count -eq 0) { $setNames.Add($AllSets) }

    $items = [System.Collections.Generic.List[object]]::new()
    foreach ($set in $setNames) {
        $syntaxText = ''
        $syntax = @($Command.SyntaxSets | Where-Object { $_.Name -eq $set })
        if ($syntax.Count -eq 0 -and $setNames.Count -eq 1) { $syntax = @($Command.SyntaxSets | Select-Object -First 1) }
        if ($syntax.Count -gt 0 -and $null -ne $syntax[0]) { $syntaxText = $syntax[0].Text }

        $members = [System.Collections.Generic.List[object]]::new()
        $index = 0
        foreach ($p in $Command.Parameters) {
            $variant = $p.Variants | Where-Object { $_.Sets -contains $set } | Select-Object -First 1
            if ($null -eq $variant) { $variant = $p.Variants | Where-Object { $_.Sets -contains $AllSets } | Select-Object -First 1 }
            if ($null -eq $variant) { continue }
            $order = 100000 + $index
            $m = [regex]::Match($syntaxText, '(?<![\w-])-' + [regex]::Escape($p.Name) + '(?![\w-])')
            if ($m.Success) { $order = $m.Index }
            elseif ($variant.Position -match '^\d+$') { $order = 50000 + [int] $variant.Position }
            $members.Add([pscustomobject]@{ Order = $order; Variant = $variant })
            $index++
        }
        $sorted = @($members | Sort-Object -Property Order | ForEach-Object { $_.Variant })
        $items.Add([pscustomobject]@{ Name = $set; Parameters = $sorted })
    }
    return , $items.ToArray()
}

#endregion

#region MAML writing

function Write-Paras {
    param([System.Xml.XmlWriter] $Writer, [string[]] $Paras)
    foreach ($para in $Paras) {
        $Writer.WriteStartElement('maml', 'para', $NsMaml)
        $Writer.WriteString((Remove-InvalidXmlChar $para))
        $Writer.WriteEndElement()
    }
}

function Remove-InvalidXmlChar {
    param([string] $Text)
    if ($null -eq $Text) { return '' }
    return [regex]::Replace($Text, '[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]', '')
}

function Write-Element {
    param([System.Xml.XmlWriter] $Writer, [string] $Prefix, [string] $Name, [string] $Ns, [string] $Value)
    $Writer.WriteStartElement($Prefix, $Name, $Ns)
    $Writer.WriteString((Remove-InvalidXmlChar $Value))
    $Writer.WriteEndElement()
}

function Write-MamlParameter {
    param([System.Xml.XmlWriter] $Writer, [object] $Variant, [bool] $InSyntax)

    $w = $Writer
    $w.WriteStartElement('command', 'parameter', $NsCommand)
    $w.WriteAttributeString('required', $Variant.Required.ToString().ToLowerInvariant())
    $w.WriteAttributeString('variableLength', $Variant.VariableLength.ToString().ToLowerInvariant())
    $w.WriteAttributeString('globbing', $Variant.Globbing.ToString().ToLowerInvariant())
    $w.WriteAttributeString('pipelineInput', $Variant.PipelineInput)
    $w.WriteAttributeString('position', $Variant.Position)
    $aliases = 'none'
    if ($Variant.Aliases.Count -gt 0) { $aliases = $Variant.Aliases -join ', ' }
    $w.WriteAttributeString('aliases', $aliases)

    Write-Element $w 'maml' 'name' $NsMaml $Variant.Name
    $w.WriteStartElement('maml', 'description', $NsMaml)
    Write-Paras $w $Variant.Description
    $w.WriteEndElement()

    if ($InSyntax -and $Variant.AcceptedValues.Count -gt 0) {
        $w.WriteStartElement('command', 'parameterValueGroup', $NsCommand)
        foreach ($value in $Variant.AcceptedValues) {
            $w.WriteStartElement('command', 'parameterValue', $NsCommand)
            $w.WriteAttributeString('required', 'false')
            $w.WriteAttributeString('variableLength', 'false')
            $w.WriteString($value)
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }

    # Get-Help shows "-Name <Type>" from parameterValue; a switch has none in syntax.
    if (-not ($InSyntax -and $Variant.IsSwitch)) {
        $w.WriteStartElement('command', 'parameterValue', $NsCommand)
        $w.WriteAttributeString('required', (-not $Variant.IsSwitch).ToString().ToLowerInvariant())
        $w.WriteAttributeString('variableLength', $Variant.VariableLength.ToString().ToLowerInvariant())
        $w.WriteString($Variant.Type)
        $w.WriteEndElement()
    }

    $w.WriteStartElement('dev', 'type', $NsDev)
    Write-Element $w 'maml' 'name' $NsMaml $Variant.Type
    $w.WriteStartElement('maml', 'uri', $NsMaml)
    $w.WriteEndElement()
    $w.WriteEndElement()

    Write-Element $w 'dev' 'defaultValue' $NsDev $Variant.DefaultValue
    $w.WriteEndElement()
}

function Write-MamlCommand {
    param([System.Xml.XmlWriter] $Writer, [object] $Command)

    $w = $Writer
    $w.WriteStartElement('command', 'command', $NsCommand)
    $w.WriteAttributeString('xmlns', 'maml', $null, $NsMaml)
    $w.WriteAttributeString('xmlns', 'command', $null, $NsCommand)
    $w.WriteAttributeString('xmlns', 'dev', $null, $NsDev)
    $w.WriteAttributeString('xmlns', 'MSHelp', $null, $NsMSHelp)

    $dash = $Command.Name.IndexOf('-')
    $verb = $Command.Name
    $noun = ''
    if ($dash -gt 0) { $verb = $Command.Name.Substring(0, $dash); $noun = $Command.Name.Substring($dash + 1) }

    $w.WriteStartElement('command', 'details', $NsCommand)
    Write-Element $w 'command' 'name' $NsCommand $Command.Name
    Write-Element $w 'command' 'verb' $NsCommand $verb
    Write-Element $w 'command' 'noun' $NsCommand $noun
    $w.WriteStartElement('maml', 'description', $NsMaml)
    Write-Paras $w $Command.Synopsis
    $w.WriteEndElement()
    $w.WriteEndElement()

    $w.WriteStartElement('maml', 'description', $NsMaml)
    Write-Paras $w $Command.Description
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'syntax', $NsCommand)
    foreach ($item in (Get-SyntaxItems $Command)) {
        $w.WriteStartElement('command', 'syntaxItem', $NsCommand)
        Write-Element $w 'maml' 'name' $NsMaml $Command.Name
        foreach ($variant in $item.Parameters) { Write-MamlParameter $w $variant $true }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'parameters', $NsCommand)
    foreach ($p in $Command.Parameters) { Write-MamlParameter $w $p.Variants[0] $false }
    $w.WriteEndElement()

    foreach ($pair in @(@('inputTypes', 'inputType', $Command.Inputs), @('returnValues', 'returnValue', $Command.Outputs))) {
        $w.WriteStartElement('command', $pair[0], $NsCommand)
        foreach ($t in $pair[2]) {
            $w.WriteStartElement('command', $pair[1], $NsCommand)
            $w.WriteStartElement('dev', 'type', $NsDev)
            Write-Element $w 'maml' 'name' $NsMaml $t.TypeName
            $w.WriteEndElement()
            $w.WriteStartElement('maml', 'description', $NsMaml)
            Write-Paras $w $t.Description
            $w.WriteEndElement()
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }

    $w.WriteStartElement('maml', 'alertSet', $NsMaml)
    $w.WriteStartElement('maml', 'alert', $NsMaml)
    Write-Paras $w $Command.Notes
    $w.WriteEndElement()
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'examples', $NsCommand)
    foreach ($ex in $Command.Examples) {
        $w.WriteStartElement('command', 'example', $NsCommand)
        Write-Element $w 'maml' 'title' $NsMaml ('---------- {0} ----------' -f $ex.Title)
        Write-Element $w 'dev' 'code' $NsDev $ex.Code
        $w.WriteStartElement('dev', 'remarks', $NsDev)
        Write-Paras $w $ex.Remarks
        # An empty last paragraph puts a blank line between examples in Get-Help output.
        Write-Paras $w @('')
        $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'relatedLinks', $NsCommand)
    foreach ($link in $Command.Links) {
        $w.WriteStartElement('maml', 'navigationLink', $NsMaml)
        Write-Element $w 'maml' 'linkText' $NsMaml $link.Text
        Write-Element $w 'maml' 'uri' $NsMaml $link.Uri
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteEndElement()
}

function Write-MamlFile {
    param([string] $File, [object[]] $Commands)

    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.IndentChars = '  '
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $settings.NewLineChars = [Environment]::NewLine
    $settings.NewLineHandling = [System.Xml.NewLineHandling]::Entitize

    $stream = [System.IO.FileStream]::new($File, [System.IO.FileMode]::Create, [System.IO.FileAccess]::Write)
    try {
        $w = [System.Xml.XmlWriter]::Create($stream, $settings)
        try {
            $w.WriteStartDocument()
            $w.WriteStartElement('helpItems', 'http://msh')
            $w.WriteAttributeString('schema', 'maml')
            foreach ($c in $Commands) { Write-MamlCommand $w $c }
            $w.WriteEndElement()
            $w.WriteEndDocument()
        }
        finally { $w.Close() }
    }
    finally { $stream.Dispose() }
}

#endregion

#region About topics

function Add-WrappedText {
    param([System.Text.StringBuilder] $Sb, [string] $Text, [string] $FirstIndent, [string] $NextIndent, [int] $Width = 80)
    $words = @($Text -split '\s+' | Where-Object { $_.Length -gt 0 })
    $line = $FirstIndent
    $lineHasWord = $false
    foreach ($word in $words) {
        if ($lineHasWord -and ($line.Length + 1 + $word.Length) -gt $Width) {
            [void] $Sb.AppendLine($line.TrimEnd())
            $line = $NextIndent + $word
        }
        elseif ($lineHasWord) { $line += ' ' + $word }
        else { $line += $word }
        $lineHasWord = $true
    }
    if ($lineHasWord) { [void] $Sb.AppendLine($line.TrimEnd()) }
}

function ConvertTo-AboutText {
    # The layout of platyPS' about renderer: TOPIC, the topic name indented, level-1 headings in capitals,
    # level-2 headings as written, deeper headings indented in capitals, paragraphs indented by four spaces
    # and wrapped at 80 characters, code indented by eight spaces.
    param([object] $Page)

    $blocks = @($Page.Blocks)
    if ($blocks.Count -lt 1 -or $blocks[0].Kind -ne 'Heading') { throw (New-HelpSchemaError $Page.File 1 'An about topic must start with "# about_<Name>".') }
    $topicName = $blocks[0].Text.Trim()
    $start = 1
    if ($blocks.Count -gt 1 -and $blocks[1].Kind -eq 'Heading' -and $blocks[1].Level -eq 2) {
        $topicName = $blocks[1].Text.Trim()
        $start = 2
    }
    if ($topicName -notmatch '^about_[\w.-]+$') { throw (New-HelpSchemaError $Page.File 1 ("The about topic name '{0}' must be about_<Name> without spaces." -f $topicName)) }

    $nl = [Environment]::NewLine
    $sb = [System.Text.StringBuilder]::new()
    [void] $sb.Append('TOPIC').Append($nl)
    [void] $sb.Append('    ').Append($topicName.ToLowerInvariant()).Append($nl).Append($nl)

    for ($i = $start; $i -lt $blocks.Count; $i++) {
        $b = $blocks[$i]
        switch ($b.Kind) {
            'Heading' {
                $text = ConvertFrom-MarkdownInline $b.Text.Trim()
                if ($b.Level -eq 1) { [void] $sb.Append($text.ToUpperInvariant()).Append($nl) }
                elseif ($b.Level -eq 2) { [void] $sb.Append($text).Append($nl) }
                else { [void] $sb.Append('    ').Append($text.ToUpperInvariant()).Append($nl) }
            }
            'Paragraph' {
                Add-WrappedText $sb (ConvertFrom-MarkdownInline $b.Text) '    ' '    '
                [void] $sb.Append($nl)
            }
            'ListItem' {
                $marker = $b.Marker
                if ($marker -match '^[-*+]$') { $marker = '-' }
                $hanging = '    ' + (' ' * ($marker.Length + 1))
                Add-WrappedText $sb (ConvertFrom-MarkdownInline $b.Text) ('    ' + $marker + ' ') $hanging
                $next = $null
                if ($i + 1 -lt $blocks.Count) { $next = $blocks[$i + 1] }
                if ($null -eq $next -or $next.Kind -ne 'ListItem') { [void] $sb.Append($nl) }
            }
            'Code' {
                foreach ($codeLine in $b.Text.Split("`n")) {
                    if ($codeLine.Length -eq 0) { [void] $sb.Append($nl) }
                    else { [void] $sb.Append('        ').Append($codeLine).Append($nl) }
                }
                [void] $sb.Append($nl)
            }
        }
    }
    return [pscustomobject]@{ Name = $topicName; Text = $sb.ToString().TrimEnd() + $nl }
}

#endregion

#region Main

$resolved = (Resolve-Path -LiteralPath $Path).ProviderPath
if (Test-Path -LiteralPath $resolved -PathType Container) {
    $files = @(Get-ChildItem -LiteralPath $resolved -Filter '*.md' | Sort-Object -Property Name)
}
else {
    $files = @(Get-Item -LiteralPath $resolved)
}
if ($files.Count -eq 0) { throw ("No markdown files in '{0}'." -f $resolved) }

if (-not (Test-Path -LiteralPath $OutputPath)) { [void] (New-Item -ItemType Directory -Path $OutputPath -Force) }
$outputFolder = (Resolve-Path -LiteralPath $OutputPath).ProviderPath

$helpFiles = [System.Collections.Specialized.OrderedDictionary]::new([System.StringComparer]::OrdinalIgnoreCase)
$abouts = [System.Collections.Generic.List[object]]::new()

foreach ($f in $files) {
    $page = Read-MarkdownFile -File $f.FullName
    if ($f.Name -like 'about_*') {
        $abouts.Add((ConvertTo-AboutText $page))
        continue
    }
    $front = $page.FrontMatter
    if ($front.Contains('Module Guid') -or -not $front.Contains('external help file')) {
        Write-Verbose ("Skipping module page {0}." -f $f.Name)
        continue
    }
    $pageModule = $front['Module Name']
    if (-not [string]::IsNullOrEmpty($pageModule) -and $pageModule -ne $ModuleName) {
        throw (New-HelpSchemaError $f.FullName 1 ("The page belongs to module '{0}', not '{1}'." -f $pageModule, $ModuleName))
    }
    $helpFileName = $front['external help file']
    if ([string]::IsNullOrEmpty($helpFileName)) { $helpFileName = $ModuleName + '.dll-Help.xml' }
    if (-not $helpFiles.Contains($helpFileName)) { $helpFiles[$helpFileName] = [System.Collections.Generic.List[object]]::new() }
    $command = ConvertFrom-CommandPage $page
    Write-Verbose ("{0}: {1} parameter(s), {2} example(s)." -f $command.Name, $command.Parameters.Count, $command.Examples.Count)
    $helpFiles[$helpFileName].Add($command)
}

foreach ($helpFileName in $helpFiles.Keys) {
    $target = [System.IO.Path]::Combine($outputFolder, $helpFileName)
    $commands = @($helpFiles[$helpFileName] | Sort-Object -Property Name)
    Write-MamlFile -File $target -Commands $commands
    Write-Verbose ("Wrote {0} ({1} command(s))." -f $target, $commands.Count)
    if ($PassThru) { Get-Item -LiteralPath $target }
}

foreach ($about in $abouts) {
    $target = [System.IO.Path]::Combine($outputFolder, $about.Name + '.help.txt')
    [System.IO.File]::WriteAllText($target, $about.Text, [System.Text.UTF8Encoding]::new($true))
    Write-Verbose ("Wrote {0}." -f $target)
    if ($PassThru) { Get-Item -LiteralPath $target }
}

#endregion

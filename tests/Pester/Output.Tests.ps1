# The output types pipe the way they look: every column is a property, arrays and enums survive CSV and JSON, and
# text from outside never reaches the terminal with its control characters.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-JiraConnectModulePath) -Force
    $script:Core = [JiraConnect.JiraSession].Assembly
    $script:FormatPath = Join-Path (Split-Path (Get-JiraConnectModulePath)) 'JiraConnect.format.ps1xml'

    function Get-ViewHeader {
        <# Every header a view shows (its Label, else the property it names), with the type the view is for. #>
        param([xml] $Format)
        foreach ($view in $Format.Configuration.ViewDefinitions.View) {
            $typeName = $view.ViewSelectedBy.TypeName
            if ($view.TableControl) {
                $headers = @($view.TableControl.TableHeaders.TableColumnHeader)
                $items = @($view.TableControl.TableRowEntries.TableRowEntry.TableColumnItems.TableColumnItem)
                for ($i = 0; $i -lt $items.Count; $i++) {
                    $label = if ($i -lt $headers.Count) { $headers[$i].Label } else { $null }
                    [pscustomobject]@{ View = $view.Name; Type = $typeName; Header = if ($label) { $label } else { $items[$i].PropertyName }; Property = $items[$i].PropertyName }
                }
            }
            foreach ($item in @($view.ListControl.ListEntries.ListEntry.ListItems.ListItem)) {
                if ($null -eq $item) { continue }
                [pscustomobject]@{ View = $view.Name; Type = $typeName; Header = if ($item.Label) { $item.Label } else { $item.PropertyName }; Property = $item.PropertyName }
            }
        }
    }
}

Describe 'Format views' {
    It 'names every header after a property of the view''s type' {
        $rows = @(Get-ViewHeader ([xml](Get-Content -Raw $script:FormatPath)))
        $rows.Count | Should -BeGreaterThan 40
        $wrong = foreach ($row in $rows) {
            $type = $script:Core.GetType($row.Type)
            if ($null -eq $type) { "$($row.View): type $($row.Type) is not in $($script:Core.GetName().Name)"; continue }
            if ($null -eq $type.GetProperty($row.Header)) { "$($row.View): header '$($row.Header)' is no property of $($row.Type)" }
            if ($row.Property -and $null -eq $type.GetProperty($row.Property)) { "$($row.View): column '$($row.Property)' is no property of $($row.Type)" }
        }
        $wrong | Should -BeNullOrEmpty
    }

    It 'catches a header that is no property' {
        $format = [xml](Get-Content -Raw $script:FormatPath)
        $format.Configuration.ViewDefinitions.View[0].TableControl.TableHeaders.TableColumnHeader[1].Label = 'Nickname'
        $rows = @(Get-ViewHeader $format | Where-Object { $null -eq $script:Core.GetType($_.Type).GetProperty($_.Header) })
        $rows.Header | Should -Be 'Nickname'
    }
}

Describe 'Display text' {
    It 'writes control characters as \xHH and leaves other text alone' {
        [JiraConnect.DisplayText]::Escape("a`e[31mred`a b") | Should -BeExactly 'a\x1B[31mred\x07 b'
        [JiraConnect.DisplayText]::Escape("line`r`nnext$([char]0x9B)") | Should -BeExactly 'line\x0D\x0Anext\x9B'
        [JiraConnect.DisplayText]::Escape("Ünïcode ✓") | Should -BeExactly 'Ünïcode ✓'
    }
}

Describe 'A delivery with control characters in its path and headers' {
    BeforeAll {
        $token = ConvertTo-SecureString (Get-TestSecret ListenerToken) -AsPlainText -Force
        $script:Listener = Start-JiraWebhookListener -Token $token -WarningAction SilentlyContinue
        $client = [System.Net.Sockets.TcpClient]::new()
        try {
            $client.Connect('127.0.0.1', $script:Listener.Port)
            $stream = $client.GetStream()
            $request = "POST /hook`e]0;owned`a`e[2J HTTP/1.1`r`nHost: 127.0.0.1`r`nX-Evil: `e[31mred`a`r`nContent-Length: 0`r`nConnection: close`r`n`r`n"
            $bytes = [System.Text.Encoding]::Latin1.GetBytes($request)
            $stream.Write($bytes, 0, $bytes.Length)
            $stream.Flush()
            $buffer = [byte[]]::new(4096)
            $null = $stream.Read($buffer, 0, $buffer.Length)
        }
        finally { $client.Dispose() }
        $script:Delivery = Receive-JiraWebhook -Listener $script:Listener -Count 1 -TimeoutSec 10
    }

    AfterAll { $script:Listener | Stop-JiraWebhookListener }

    It 'is recorded with the raw bytes (refused for the missing token)' {
        $script:Delivery.StatusCode | Should -Be 401
        $script:Delivery.Path | Should -Match "`e"
        $script:Delivery.Headers['X-Evil'] | Should -Match "`a"
    }

    It 'shows <Name> without a raw ESC or BEL' -ForEach @(
        @{ Name = 'Format-Table'; Render = { param($d) $d | Format-Table | Out-String -Width 200 } }
        @{ Name = 'Format-List'; Render = { param($d) $d | Format-List | Out-String -Width 200 } }
        @{ Name = 'ToString()'; Render = { param($d) $d.ToString() } }
        @{ Name = 'the default view'; Render = { param($d) $d | Out-String -Width 200 } }
    ) {
        $text = & $Render $script:Delivery
        $text | Should -Not -Match "[`e`a]"
        $text | Should -Match ([regex]::Escape($(if ($Name -in 'Format-Table', 'the default view') { '/hook\x1B]0;owned' } else { '/hook\x1B]0;owned\x07\x1B[2J' })))
        if ($Name -eq 'Format-List') { $text | Should -Match ([regex]::Escape('X-Evil: \x1B[31mred\x07')) }
    }
}

Describe 'Output through CSV and JSON' {
    BeforeAll {
        $script:Cloud = Start-JiraEmulator -Flavor cloud -Projects 25
        $null = Connect-JiraSite -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential) -Name cloud
        $null = Connect-JiraSite -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential) -Name second
    }

    AfterAll {
        Get-JiraSession | Disconnect-JiraSite
        $script:Cloud | Stop-JiraEmulator
    }

    It 'Test-JiraProjectAccess | ConvertTo-Csv writes the lists as joined values' {
        $access = Test-JiraProjectAccess -Session cloud -ProjectKey HR, FIN -RequireRole Administrators
        $csv = $access | ConvertTo-Csv -NoTypeInformation | Out-String
        $csv | Should -Not -Match 'System\.'
        $hr = $access | Where-Object ProjectKey -eq HR
        $csv | Should -Match ([regex]::Escape('"EDIT_ISSUES; TRANSITION_ISSUES; ASSIGN_ISSUES; DELETE_ISSUES; Role:Administrators"'))
        $csv | Should -Match ([regex]::Escape('"' + ($hr.Required -join '; ') + '"'))
        ($access | Where-Object ProjectKey -eq FIN).RoleGroups -join '; ' | Should -Not -BeNullOrEmpty
        $csv | Should -Match ([regex]::Escape('"' + (($access | Where-Object ProjectKey -eq FIN).RoleGroups -join '; ') + '"'))
        $hr.Missing | Should -Contain 'EDIT_ISSUES'
        $hr.Missing[0] | Should -Be 'EDIT_ISSUES'
        @($hr.Missing).Count | Should -Be 5
        "$($hr.Missing)" | Should -Match 'EDIT_ISSUES'
    }

    It 'every output type with a list property writes it readably to CSV (<Name>)' -ForEach @(
        @{ Name = 'Get-JiraSession'; Get = { Get-JiraSession -Name cloud } }
        @{ Name = 'Test-JiraConnection'; Get = { Test-JiraConnection -Session cloud -SkipProjectAccess } }
        @{ Name = 'Get-JiraProject'; Get = { Get-JiraProject -Session cloud -First 3 } }
        @{ Name = 'Add-JiraProjectRoleActor'; Get = { Add-JiraProjectRoleActor -Session cloud -ProjectKey IT } }
    ) {
        $csv = & $Get | ConvertTo-Csv -NoTypeInformation | Out-String
        $csv | Should -Not -BeNullOrEmpty
        $csv | Should -Not -Match 'System\.(String|Collections|Object)'
    }

    It 'writes enum values as names in ConvertTo-Json and still compares with strings' {
        $session = Get-JiraSession -Name cloud
        ($session | Select-Object Name, AuthenticationType, DeploymentType | ConvertTo-Json) | Should -Match '"AuthenticationType": "ApiToken"'
        $session.AuthenticationType -eq 'ApiToken' | Should -BeTrue
        $session.AuthenticationType -eq [JiraConnect.JiraAuthenticationType]::ApiToken | Should -BeTrue
        $checks = Test-JiraConnection -Session cloud -SkipProjectAccess
        ($checks | ConvertTo-Json -Depth 2) | Should -Match '"Status": "Pass"'
        @($checks | Where-Object Status -eq 'Pass').Count | Should -BeGreaterThan 0
        $access = Test-JiraProjectAccess -Session cloud -ProjectKey FIN -RequireRole Administrators
        ($access | ConvertTo-Json -Depth 2) | Should -Match '"RoleMembership": "Group"'
        ($access | ConvertTo-Json -Depth 2) | Should -Match '"Missing": \[\]|"Missing": \['
        $change = Add-JiraProjectRoleActor -Session cloud -ProjectKey IT
        ($change | ConvertTo-Json) | Should -Match '"ActorType": "User"'
        ($change | ConvertTo-Json) | Should -Match '"Result": "AlreadyPresent"'
    }

    It 'writes the outcome, body format and allowlist status of the webhook types as names in ConvertTo-Json' {
        $payload = New-JiraWebhookPayload -Format JiraIssue
        ($payload | Select-Object Format | ConvertTo-Json) | Should -Match '"Format": "JiraIssue"'
        $port = Get-FreeTcpPort
        $result = Send-JiraTestWebhook -Uri "http://127.0.0.1:$port/hooks" -WarningAction SilentlyContinue
        $json = $result | Select-Object Outcome, BodyFormat | ConvertTo-Json
        $json | Should -Match '"Outcome": "ConnectionRefused"'
        $json | Should -Match '"BodyFormat": "\w+"'
        $result.Outcome -eq [JiraConnect.JiraWebhookOutcome]::ConnectionRefused | Should -BeTrue
        $allowlist = Test-JiraWebhookAllowlist -Session cloud -Uri 'https://hooks.example.com/x'
        ($allowlist | Select-Object Status | ConvertTo-Json) | Should -Match '"Status": "[A-Za-z]+"'
    }

    It 'filters on the column a table shows (Where-Object ProjectTypeKey)' {
        $text = Get-JiraProject -Session cloud -Key IT | Format-Table | Out-String
        $text | Should -Match 'ProjectTypeKey'
        @(Get-JiraProject -Session cloud | Where-Object ProjectTypeKey -eq service_desk).Key | Should -Contain 'IT'
    }

    It 'shows the authentication type, and the * marker on the default session only' {
        $text = Get-JiraSession | Format-Table | Out-String -Width 80
        $text | Should -Match 'Name\s+SiteUrl\s+AuthenticationType\s+User'
        $lines = @($text -split "`r?`n" | Where-Object { $_ -match 'ApiToken' })
        $lines.Count | Should -Be 2
        @($lines | Where-Object { $_ -match '^\*\s' }).Count | Should -Be 1
        $default = Get-JiraSession | Where-Object IsDefault
        @($default).Count | Should -Be 1
        ($lines | Where-Object { $_ -match '^\*\s' }) | Should -Match "^\* $($default.Name)\s"
    }
}

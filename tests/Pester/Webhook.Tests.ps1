BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-JiraConnectModulePath) -Force
    $script:TokenText = Get-TestSecret ListenerToken
    $script:Token = ConvertTo-SecureString $script:TokenText -AsPlainText -Force
    $script:HubSecret = ConvertTo-SecureString "It's a Secret to Everybody" -AsPlainText -Force
    $script:Listener = Start-JiraWebhookListener -Token $script:Token -Secret $script:HubSecret -WarningAction SilentlyContinue
}

AfterAll {
    Get-JiraWebhookListener | Stop-JiraWebhookListener
}

Describe 'Each body format round-trips through the module''s own listener' {
    BeforeEach {
        $null = Receive-JiraWebhook -Listener $script:Listener
    }

    It '<Format> <Note>arrives with the token verified and the body New-JiraWebhookPayload built' -ForEach @(
        @{ Format = 'Empty'; Note = '' }
        @{ Format = 'AutomationIssue'; Note = '' }
        @{ Format = 'JiraIssue'; Note = '' }
        @{ Format = 'ServiceManagement'; Note = '' }
        @{ Format = 'SystemWebhook'; Note = '' }
        @{ Format = 'Custom'; Note = '(JSON, both spellings) '; CustomData = '{"key":"{{issue.key}}","priority":"${issue.fields.priority.name}","summary":"{{issue.summary.jsonEncode}}"}' }
        @{ Format = 'Custom'; Note = '(encoded as a form) '; CustomData = @{ key = '{{issue.key}}'; assignee = '${issue.fields.assignee.displayName}' }; Form = $true }
    ) {
        $build = @{ Format = $Format }
        if ($CustomData) { $build.CustomData = $CustomData }
        if ($Form) { $build.EncodeAsForm = $true }
        $payload = New-JiraWebhookPayload @build

        $result = $payload | Send-JiraTestWebhook -Uri $script:Listener.Url -Token $script:Token -Secret $script:HubSecret -WarningAction SilentlyContinue
        $delivery = Receive-JiraWebhook -Listener $script:Listener -Count 1 -TimeoutSec 10

        $result.Succeeded | Should -BeTrue
        $result.Outcome | Should -Be 'Delivered'
        $result.BodyFormat | Should -Be $Format
        $delivery.TokenValid | Should -BeTrue
        $delivery.SignatureValid | Should -BeTrue
        $delivery.Accepted | Should -BeTrue
        $delivery.Body | Should -BeExactly $payload.Body
        $delivery.ContentType | Should -Be $payload.ContentType
        $delivery.Headers['Authorization'] | Should -Be 'Bearer ***'
    }

    It 'renders the smart values of custom data into the delivered body' {
        $payload = New-JiraWebhookPayload -Format Custom -CustomData '{"key":"{{issue.key}}","priority":"${issue.fields.priority.name}"}'
        $null = $payload | Send-JiraTestWebhook -Uri $script:Listener.Url -Token $script:Token -Secret $script:HubSecret -WarningAction SilentlyContinue
        $delivery = Receive-JiraWebhook -Listener $script:Listener -Count 1 -TimeoutSec 10

        $delivery.Json.key | Should -Be 'IT-4'
        $delivery.Json.priority | Should -Be 'High'
    }

    It 'delivers a form body the listener reads field by field' {
        $null = Send-JiraTestWebhook -Uri $script:Listener.Url -Token $script:Token -Body Custom -EncodeAsForm -CustomData @{ key = '{{issue.key}}'; who = '{{initiator.displayName}}' } -Secret $script:HubSecret -WarningAction SilentlyContinue
        $delivery = Receive-JiraWebhook -Listener $script:Listener -Count 1 -TimeoutSec 10

        $delivery.ContentType | Should -Be 'application/x-www-form-urlencoded'
        $delivery.Form['key'] | Should -Be 'IT-4'
        $delivery.Form['who'] | Should -Be 'Alex Agent'
    }

    It 'signs with X-Hub-Signature exactly as the facts-file test vector' {
        $payload = New-JiraWebhookPayload -Format Custom -CustomData 'Hello World!'
        $null = $payload | Send-JiraTestWebhook -Uri $script:Listener.Url -Token $script:Token -Secret $script:HubSecret -WarningAction SilentlyContinue
        $delivery = Receive-JiraWebhook -Listener $script:Listener -Count 1 -TimeoutSec 10

        $delivery.Body | Should -BeExactly 'Hello World!'
        $delivery.Headers['X-Hub-Signature'] | Should -BeExactly 'sha256=a4771c39fbe90f317c7824e83ddef3caae9cb3d976c214ace1f2937e133263c9'
        $delivery.SignatureValid | Should -BeTrue
    }

    It 'sends an admin webhook with its headers, and a repeated identifier is kept once' {
        $first = Send-JiraTestWebhook -Uri $script:Listener.Url -Token $script:Token -Secret $script:HubSecret -Body SystemWebhook -WebhookEvent jira:issue_updated -WebhookIdentifier 'retry-me-1'
        $again = Send-JiraTestWebhook -Uri $script:Listener.Url -Token $script:Token -Secret $script:HubSecret -Body SystemWebhook -WebhookEvent jira:issue_updated -WebhookIdentifier 'retry-me-1'
        $deliveries = @(Receive-JiraWebhook -Listener $script:Listener -Count 1 -TimeoutSec 10)

        $first.Succeeded, $again.Succeeded | Should -Be $true, $true
        $again.ResponseBody | Should -Match '"duplicate":true'
        $deliveries.Count | Should -Be 1
        $deliveries[0].WebhookIdentifier | Should -Be 'retry-me-1'
        $deliveries[0].WebhookFlow | Should -Be 'Primary'
        $deliveries[0].DuplicateCount | Should -Be 1
        $deliveries[0].Json.webhookEvent | Should -Be 'jira:issue_updated'
        $deliveries[0].Json.issue_event_type_name | Should -Be 'issue_generic'
        Receive-JiraWebhook -Listener $script:Listener | Should -BeNullOrEmpty
    }
}

Describe 'What Jira would do: the verdicts' {
    It 'a wrong token gives 401 and the verdict that the token was rejected' {
        $wrong = ConvertTo-SecureString 'not-the-listener-token' -AsPlainText -Force
        $result = Send-JiraTestWebhook -Uri $script:Listener.Url -Token $wrong
        $delivery = Receive-JiraWebhook -Listener $script:Listener -Count 1 -TimeoutSec 10

        $result.Outcome | Should -Be 'Unauthorized'
        $result.StatusCode | Should -Be 401
        $result.Succeeded | Should -BeFalse
        $result.Verdict | Should -Match 'Rejected the token'
        $delivery.TokenValid | Should -BeFalse
        $delivery.StatusCode | Should -Be 401
    }

    It '<Status> from the listener gives <Outcome>' -ForEach @(
        @{ Status = 403; Outcome = 'Forbidden'; Verdict = 'Rejected the token' }
        @{ Status = 500; Outcome = 'ServerError'; Verdict = 'does not retry' }
        @{ Status = 302; Outcome = 'Redirected'; Verdict = 'Jira does not follow redirects' }
    ) {
        $server = Start-WebhookTestServer -Status $Status -Location 'https://elsewhere.example.com/hooks/jira'
        try {
            $result = Send-JiraTestWebhook -Uri $server.Url -Token $script:Token
            $result.Outcome | Should -Be $Outcome
            $result.StatusCode | Should -Be $Status
            $result.Succeeded | Should -BeFalse
            $result.Verdict | Should -Match $Verdict
            $result.Attempts | Should -Be 1
            $server.Requests | Should -Be 1 -Because 'Jira neither retries nor follows redirects'
        }
        finally { $server.Dispose() }
    }

    It 'a refused port gives ConnectionRefused' {
        $port = Get-FreeTcpPort

        $result = Send-JiraTestWebhook -Uri "http://127.0.0.1:$port/hooks/jira" -Token $script:Token

        $result.Outcome | Should -Be 'ConnectionRefused'
        $result.StatusCode | Should -BeNullOrEmpty
        $result.Verdict | Should -Match 'nothing listens'
    }

    It 'an untrusted certificate gives CertificateNotTrusted; -SkipCertificateCheck gets through' {
        $server = Start-WebhookTestServer -Status 200 -Certificate (New-SelfSignedTestCertificate)
        try {
            $refused = Send-JiraTestWebhook -Uri $server.Url -Token $script:Token
            $accepted = Send-JiraTestWebhook -Uri $server.Url -Token $script:Token -SkipCertificateCheck -WarningAction SilentlyContinue

            $server.Url.Scheme | Should -Be 'https'
            $refused.Outcome | Should -Be 'CertificateNotTrusted'
            $refused.Verdict | Should -Match 'TLS certificate not trusted'
            $refused.FailureReason | Should -Match 'RemoteCertificateChainErrors'
            $accepted.Outcome | Should -Be 'Delivered'
            $server.Requests | Should -Be 1
        }
        finally { $server.Dispose() }
    }

    It 'a host name that does not resolve gives DnsFailure' {
        $result = Send-JiraTestWebhook -Uri 'https://jiraconnect-listener.invalid/hooks/jira' -Token $script:Token -ConnectTimeoutSec 30
        $result.Outcome | Should -Be 'DnsFailure'
        $result.Verdict | Should -Match 'could not be resolved'
    }

    It 'a listener that sleeps 25 s gives a timed-out verdict after about 20 s' {
        $server = Start-WebhookTestServer -Status 200 -DelayMs 25000
        try {
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $result = Send-JiraTestWebhook -Uri $server.Url -Token $script:Token
            $clock.Stop()

            $result.Outcome | Should -Be 'ResponseTimeout'
            $result.Succeeded | Should -BeFalse
            $result.Verdict | Should -Match 'no complete answer within 20 s'
            $result.Verdict | Should -Match 'does not retry'
            $result.TotalTime.TotalSeconds | Should -BeGreaterOrEqual 19.5
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 24
            $server.Requests | Should -Be 1
        }
        finally { $server.Dispose() }
    }

    It 'the delivery rules are overridable: a short timeout and retries' {
        $server = Start-WebhookTestServer -Status 500
        try {
            $result = Send-JiraTestWebhook -Uri $server.Url -Token $script:Token -TimeoutSec 2 -MaximumRetryCount 2 -RetryIntervalSec 0
            $result.Attempts | Should -Be 3
            $server.Requests | Should -Be 3
            $result.Verdict | Should -Match 'Jira itself would have tried once'
        }
        finally { $server.Dispose() }
    }

    It 'an oversized body gets 413 and a bad signature 401 from the listener' {
        $small = Start-JiraWebhookListener -Token $script:Token -Secret $script:HubSecret -MaximumBodySize 100
        try {
            $tooLarge = Send-JiraTestWebhook -Uri $small.Url -Token $script:Token -Body JiraIssue
            $other = ConvertTo-SecureString 'another-secret' -AsPlainText -Force
            $badSignature = Send-JiraTestWebhook -Uri $small.Url -Token $script:Token -Body Custom -CustomData '{}' -Secret $other -WarningAction SilentlyContinue
            $deliveries = @(Receive-JiraWebhook -Listener $small -Count 2 -TimeoutSec 10)

            $tooLarge.StatusCode | Should -Be 413
            $tooLarge.Outcome | Should -Be 'ClientError'
            $badSignature.Outcome | Should -Be 'Unauthorized'
            $deliveries.StatusCode | Should -Be 413, 401
            $deliveries[1].SignatureValid | Should -BeFalse
            $deliveries[1].RawBody.Length | Should -Be 0
            $badSignature.Verdict | Should -Match '^Rejected the signature'
            $badSignature.Verdict | Should -Not -Match 'token'
            $small.RejectedCount | Should -Be 2
        }
        finally { $small | Stop-JiraWebhookListener }
    }

    It 'keeps at most -MaximumStoredBytes and accepts sha1 only with -AllowSignatureAlgorithm' {
        $strict = Start-JiraWebhookListener -Token $script:Token -Secret $script:HubSecret -MaximumStoredBytes 20KB
        $lenient = Start-JiraWebhookListener -Token $script:Token -Secret $script:HubSecret -AllowSignatureAlgorithm sha1
        try {
            $body = '{"n":"' + ('x' * 6000) + '"}'
            $key = [System.Text.Encoding]::UTF8.GetBytes((New-Object PSCredential 'x', $script:HubSecret).GetNetworkCredential().Password)
            $hmac = [System.Security.Cryptography.HMACSHA1]::new($key)
            $sha1 = 'sha1=' + (($hmac.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($body)) | ForEach-Object { $_.ToString('x2') }) -join '')
            $hmac.Dispose()
            foreach ($i in 1..5) { $null = Send-JiraTestWebhook -Uri $strict.Url -Token $script:Token -Secret $script:HubSecret -Body Custom -CustomData $body -WarningAction SilentlyContinue }
            $viaStrict = Send-JiraTestWebhook -Uri $strict.Url -Token $script:Token -Body Custom -CustomData $body -Header @{ 'X-Hub-Signature' = $sha1 }
            $viaLenient = Send-JiraTestWebhook -Uri $lenient.Url -Token $script:Token -Body Custom -CustomData $body -Header @{ 'X-Hub-Signature' = $sha1 }

            $strict.MaxStoredBytes | Should -Be 20KB
            $strict.StoredBytes | Should -BeLessOrEqual 20KB
            $strict.DroppedCount | Should -BeGreaterThan 0
            @(Receive-JiraWebhook -Listener $strict -All).Count | Should -BeLessThan 6
            $viaStrict.StatusCode | Should -Be 401
            $viaStrict.Verdict | Should -Match '^Rejected the signature'
            $viaLenient.StatusCode | Should -Be 200
            $lenient.SignatureAlgorithms | Should -Be 'sha256', 'sha1'
        }
        finally { $strict, $lenient | Stop-JiraWebhookListener }
    }
}

Describe 'A burst into the listener' {
    It 'delivers 2,000 requests at 64 in parallel, each received exactly once' {
        $listener = Start-JiraWebhookListener -Token $script:Token -Secret $script:HubSecret
        try {
            $burst = Send-JiraTestWebhook -Uri $listener.Url -Token $script:Token -Secret $script:HubSecret -Body SystemWebhook -Count 2000 -ThrottleLimit 64
            $deliveries = @(Receive-JiraWebhook -Listener $listener -Count 2000 -TimeoutSec 60)

            $burst.Count | Should -Be 2000
            $burst.Succeeded | Should -Be 2000
            $burst.Outcomes['Delivered'] | Should -Be 2000
            $burst.LatencyP99 | Should -BeGreaterOrEqual $burst.LatencyP50
            $deliveries.Count | Should -Be 2000
            @($deliveries | Where-Object { -not ($_.Accepted -and $_.TokenValid -and $_.SignatureValid) }).Count | Should -Be 0
            $received = [System.Collections.Generic.HashSet[string]]::new([string[]]$deliveries.WebhookIdentifier)
            $received.Count | Should -Be 2000
            $received.SetEquals([string[]]$burst.Results.WebhookIdentifier) | Should -BeTrue
            $listener.DuplicateCount | Should -Be 0
            $listener.DroppedCount | Should -Be 0
            $listener.ReceivedCount | Should -Be 2000
            Receive-JiraWebhook -Listener $listener | Should -BeNullOrEmpty
        }
        finally { $listener | Stop-JiraWebhookListener }
    }
}

Describe 'Parameters, -WhatIf and errors' {
    It '-WhatIf shows the request with the token masked and sends nothing' {
        $transcript = Join-Path $TestDrive 'whatif.txt'
        $null = Start-Transcript -Path $transcript
        Send-JiraTestWebhook -Uri $script:Listener.Url -Token $script:Token -Body SystemWebhook -WhatIf
        $null = Stop-Transcript
        $text = Get-Content $transcript -Raw

        $text | Should -Match 'What if: .*POST SystemWebhook body'
        $text | Should -Match 'Authorization: Bearer \*\*\*'
        $text | Should -Match 'X-Atlassian-Webhook-Identifier: '
        $text | Should -Not -Match ([regex]::Escape($script:TokenText))
        Receive-JiraWebhook -Listener $script:Listener | Should -BeNullOrEmpty
    }

    It 'formats smart values in both spellings' {
        Format-JiraSmartValue -Template '{{issue.key}} / ${issue.key} / {{issue.fields.priority.name}}' | Should -Be 'IT-4 / IT-4 / High'
        '{{issue.labels}}', '{{issue.status}}' | Format-JiraSmartValue | Should -Be 'vpn, remote-work', 'Waiting for support'
    }

    It 'names the error: <Expected>' -ForEach @(
        @{ Expected = 'SmartValueUnknownPath,JiraConnect.Commands.NewJiraWebhookPayloadCommand'; Command = 'New-JiraWebhookPayload -Format Custom -CustomData ''{"p":"{{issue.fields.prority.name}}"}''' }
        @{ Expected = 'SmartValueSyntaxError,JiraConnect.Commands.FormatJiraSmartValueCommand'; Command = 'Format-JiraSmartValue ''{"key":"{{issue.key"}''' }
        @{ Expected = 'ParameterNotSupported,JiraConnect.Commands.SendJiraTestWebhookCommand'; Command = 'Send-JiraTestWebhook -Uri $script:Listener.Url -Body JiraIssue -EncodeAsForm' }
        @{ Expected = 'ParameterNotSupported,JiraConnect.Commands.SendJiraTestWebhookCommand'; Command = 'Send-JiraTestWebhook -Uri $script:Listener.Url -Token $script:Token -Credential ([pscredential]::new(''x'', $script:Token))' }
        @{ Expected = 'ParameterNotSupported,JiraConnect.Commands.NewJiraWebhookPayloadCommand'; Command = 'New-JiraWebhookPayload -Format JiraIssue -WebhookIdentifier retry-1' }
        @{ Expected = 'ParameterNotSupported,JiraConnect.Commands.SendJiraTestWebhookCommand'; Command = 'Send-JiraTestWebhook -Uri $script:Listener.Url -Payload (New-JiraWebhookPayload -Format SystemWebhook) -WebhookIdentifier retry-1' }
        @{ Expected = 'InvalidIssueInput,JiraConnect.Commands.NewJiraWebhookPayloadCommand'; Command = 'New-JiraWebhookPayload -Issue @{ fields = @{ summary = ''no key'' } }' }
        @{ Expected = 'UnencryptedAuthenticationRefused,JiraConnect.Commands.SendJiraTestWebhookCommand'; Command = 'Send-JiraTestWebhook -Uri ''http://listener.example.com/hooks/jira'' -Token $script:Token' }
        @{ Expected = 'InvalidWebhookHeader,JiraConnect.Commands.SendJiraTestWebhookCommand'; Command = 'Send-JiraTestWebhook -Uri $script:Listener.Url -Header @{ Host = ''other.example.com'' }' }
        @{ Expected = 'ListenerStartFailed,JiraConnect.Commands.StartJiraWebhookListenerCommand'; Command = 'Start-JiraWebhookListener -Port $script:Listener.Port -Token $script:Token' }
    ) {
        $ErrorActionPreference = 'Stop'
        { & ([scriptblock]::Create($Command)) } | Should -Throw -ErrorId $Expected
    }

    It 'reports a receive timeout as a non-terminating WebhookReceiveTimeout error' {
        $result = @(Receive-JiraWebhook -Listener $script:Listener -Count 1 -TimeoutSec 1 -ErrorVariable failed -ErrorAction SilentlyContinue)
        $result.Count | Should -Be 0
        $failed[0].FullyQualifiedErrorId | Should -Be 'WebhookReceiveTimeout,JiraConnect.Commands.ReceiveJiraWebhookCommand'
    }

    It 'lists and stops listeners through the pipeline' {
        $extra = Start-JiraWebhookListener -Token $script:Token
        (Get-JiraWebhookListener).Id | Should -Contain $extra.Id
        $stopped = Get-JiraWebhookListener -Id $extra.Id | Stop-JiraWebhookListener -PassThru
        $stopped.IsRunning | Should -BeFalse
        (Get-JiraWebhookListener).Id | Should -Not -Contain $extra.Id
    }
}

Describe 'With the Atlassian emulator (Jira Data Center)' {
    BeforeAll {
        $script:Dc = Start-JiraEmulator -Flavor datacenter -Projects 6
        $null = Connect-JiraSite -Url $script:Dc.Url -Credential (Get-DataCenterAdminCredential) -Name dc
    }

    AfterAll {
        Disconnect-JiraSite -All
        $script:Dc | Stop-JiraEmulator
    }

    It 'the Automation rule delivers to the module''s listener once its URL is on the allowlist, as Test-JiraWebhookAllowlist reports' {
        $listener = Start-JiraWebhookListener -Token $script:Token -Path /hooks/jira
        try {
            $rule = @{ name = 'Send to listener'; trigger = 'issue_created'; url = $listener.Url.ToString(); headers = @{ Authorization = "Bearer $($script:TokenText)" }; body = 'jira' }
            $null = Invoke-EmulatorAdmin $script:Dc 'automation/rules' -Body $rule
            $issue = @{ fields = @{ project = @{ key = 'DEV' }; summary = 'VPN down on floor 3'; issuetype = @{ name = 'Bug' } } }

            (Test-JiraWebhookAllowlist -Uri $listener.Url).Status | Should -Be 'NotAllowed'
            $blocked = Invoke-JiraRestMethod -Method POST issue -Body $issue -Confirm:$false
            $audit = Wait-EmulatorAudit $script:Dc -Count 1
            $audit[0].status | Should -Be 'FAILURE'
            $audit[0].message | Should -Match 'not on the allowlist'

            $null = Invoke-EmulatorAdmin $script:Dc 'allowlist' -Method PUT -Body @{ rules = @(@{ expression = $listener.Url.ToString(); type = 'EXACT_URL' }) }
            $allowlist = Test-JiraWebhookAllowlist -Uri $listener.Url
            $allowlist.Status | Should -Be 'Allowed'
            $allowlist.MatchedRule | Should -Be "EXACT_URL $($listener.Url)"
            $created = Invoke-JiraRestMethod -Method POST issue -Body $issue -Confirm:$false
            $delivery = Receive-JiraWebhook -Listener $listener -Count 1 -TimeoutSec 30
            $audit = Wait-EmulatorAudit $script:Dc -Count 2

            $delivery.TokenValid | Should -BeTrue
            $delivery.Path | Should -Be '/hooks/jira'
            $delivery.Json.issue.key | Should -Be $created.key
            $delivery.Json.issue.key | Should -Not -Be $blocked.key
            $delivery.Json.issue.fields.summary | Should -Be 'VPN down on floor 3'
            $audit[1].status | Should -Be 'SUCCESS'
            $audit[1].httpStatus | Should -Be 200
        }
        finally { $listener | Stop-JiraWebhookListener }
    }

    It 'Send-JiraTestWebhook -IssueKey sends the issue fetched through the session' {
        $null = Receive-JiraWebhook -Listener $script:Listener
        $expected = Invoke-JiraRestMethod issue/DEV-3
        $result = Send-JiraTestWebhook -Uri $script:Listener.Url -Token $script:Token -Secret $script:HubSecret -IssueKey DEV-3 -Body ServiceManagement -WarningAction SilentlyContinue
        $delivery = Receive-JiraWebhook -Listener $script:Listener -Count 1 -TimeoutSec 10

        $result.Succeeded | Should -BeTrue
        $delivery.Json.issue.key | Should -Be 'DEV-3'
        $delivery.Json.issue.fields.summary | Should -Be $expected.fields.summary
        $delivery.Json.timestamp | Should -BeGreaterThan 0
    }

    It 'pipes issues and projects into New-JiraWebhookPayload' {
        $fromIssue = Invoke-JiraRestMethod issue/DEV-2 | New-JiraWebhookPayload -Format Automation
        $fromProject = Get-JiraProject -Key IT | New-JiraWebhookPayload -Format JiraIssue

        $fromIssue.Format | Should -Be 'AutomationIssue'
        $fromIssue.IssueKey | Should -Be 'DEV-2'
        $fromIssue.Json.key | Should -Be 'DEV-2'
        $fromProject.IssueKey | Should -Be 'IT-1'
        $fromProject.Json.issue.fields.project.name | Should -Be 'IT Service Desk'
    }

    It 'reports that the allowlist cannot be read by a non-administrator and says how to check' {
        $limited = Connect-JiraSite -Url $script:Dc.Url -Credential (New-TestCredential 'limited' (Get-TestSecret LimitedPassword)) -Name limited
        $result = Test-JiraWebhookAllowlist -Uri 'https://hooks.example.com/jira' -Session $limited
        $result.Status | Should -Be 'Unknown'
        $result.Message | Should -Match 'Administration → System → Allowlist'
    }

    It 'a relative listener URL is a non-terminating InvalidUrl and the next URL is still checked' {
        $limited = Connect-JiraSite -Url $script:Dc.Url -Credential (New-TestCredential 'limited' (Get-TestSecret LimitedPassword)) -Name limited
        $results = @([uri]::new('hooks/jira', [UriKind]::Relative), [uri]'https://hooks.example.com/jira' |
            Test-JiraWebhookAllowlist -Session $limited -ErrorVariable failures -ErrorAction SilentlyContinue)
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidUrl,JiraConnect.Commands.TestJiraWebhookAllowlistCommand'
        $results.Count | Should -Be 1
        $results[0].Status | Should -Be 'Unknown'
    }
}

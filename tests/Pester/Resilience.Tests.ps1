BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-JiraConnectModulePath) -Force
    $script:Cloud = Start-JiraEmulator -Flavor cloud -Projects 5
    $script:Cmd = 'JiraConnect.Commands.GetJiraProjectCommand'
}

AfterAll {
    Get-JiraSession | Disconnect-JiraSite
    $script:Cloud | Stop-JiraEmulator
}

Describe 'Rate limits, outages and cancellation' {
    BeforeEach {
        Reset-JiraEmulator $script:Cloud
        $null = Connect-JiraSite -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential) -Name cloud -MaximumRetryCount 3
        Clear-EmulatorRequest $script:Cloud
    }

    It '429 then success: waits Retry-After, retries and returns everything' {
        $null = Add-EmulatorFault $script:Cloud -Kind status -Status 429 -RetryAfter 1 -Path '/rest/api/3/project/search' -Times 2
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $projects = @(Get-JiraProject -Verbose 4>&1)
        $clock.Stop()
        $verbose = @($projects | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        @($projects | Where-Object { $_ -is [JiraConnect.JiraProject] }).Count | Should -Be 5
        (Get-EmulatorRequest $script:Cloud -Path '/rest/api/3/project/search').Count | Should -Be 3
        $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 2
        ($verbose.Message -match 'answered 429; retry 1 of 3').Count | Should -Be 1
        ($verbose.Message -match 'Retry-After 1 s').Count | Should -Be 2
    }

    It '503 until give-up: bounded attempts, then ServiceUnavailable' {
        $null = Connect-JiraSite -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential) -Name cloud -MaximumRetryCount 2
        $null = Add-EmulatorFault $script:Cloud -Kind status -Status 503 -RetryAfter 1 -Path '/rest/api/3/project/search' -Times -1
        Clear-EmulatorRequest $script:Cloud
        $projects = Get-JiraProject -ErrorVariable err -ErrorAction SilentlyContinue
        $projects | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be "ServiceUnavailable,$script:Cmd"
        $err[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        (Get-EmulatorRequest $script:Cloud -Path '/rest/api/3/project/search').Count | Should -Be 3
    }

    It '429 with no Retry-After backs off exponentially' {
        $null = Connect-JiraSite -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential) -Name cloud -MaximumRetryCount 1
        $null = Add-EmulatorFault $script:Cloud -Kind status -Status 429 -Path '/rest/api/3/project/search' -Times -1
        Clear-EmulatorRequest $script:Cloud
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $null = Get-JiraProject -ErrorVariable err -ErrorAction SilentlyContinue
        $clock.Stop()
        $err[0].FullyQualifiedErrorId | Should -Be "RateLimited,$script:Cmd"
        $err[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        # One retry after 2 s x jitter 0.7-1.3.
        $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 1.4
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 6
        (Get-EmulatorRequest $script:Cloud -Path '/rest/api/3/project/search').Count | Should -Be 2
    }

    It 'never retries a POST' {
        $null = Add-EmulatorFault $script:Cloud -Kind status -Status 429 -RetryAfter 1 -Path '/rest/api/3/issue' -Method POST -Times -1
        Clear-EmulatorRequest $script:Cloud
        Invoke-JiraRestMethod -Method POST -Path issue -Body @{ fields = @{ summary = 'x' } } -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'RateLimited,JiraConnect.Commands.InvokeJiraRestMethodCommand'
        (Get-EmulatorRequest $script:Cloud -Path '/rest/api/3/issue').Count | Should -Be 1
    }

    It 'a request slower than -TimeoutSec fails with RequestTimeout' {
        $null = Connect-JiraSite -Url $script:Cloud.Url -Credential (Get-CloudAdminCredential) -Name cloud -TimeoutSec 1
        $null = Add-EmulatorFault $script:Cloud -Kind delay -DelayMs 10000 -Path '/rest/api/3/project/search'
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $null = Get-JiraProject -ErrorVariable err -ErrorAction SilentlyContinue
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
        $err[0].FullyQualifiedErrorId | Should -Be "RequestTimeout,$script:Cmd"
        $err[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
    }

    It 'Ctrl+C (PowerShell.Stop) ends a slow request within 2 seconds' {
        $fault = Add-EmulatorFault $script:Cloud -Kind delay -DelayMs 60000 -Path '/rest/api/3/project/search'
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$(Get-JiraConnectModulePath)'; Get-JiraProject -Session cloud")
        $async = $ps.BeginInvoke()
        # Wait (with a deadline) until the request is at the server: the fault that holds it counts it (the log shows it only once answered).
        Wait-Until -TimeoutSec 20 -What 'the project request at the emulator' -Condition {
            (Invoke-EmulatorAdmin $script:Cloud 'faults' -Method GET | ForEach-Object { $_ } | Where-Object id -EQ $fault.id).applied -ge 1
        }
        # Exactly one request is held at the server (the log lists a request only once it is answered).
        (Invoke-EmulatorAdmin $script:Cloud 'faults' -Method GET | ForEach-Object { $_ } | Where-Object id -EQ $fault.id).applied | Should -Be 1
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $clock.Stop()
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 2
        $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        $ps.Dispose()
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-JiraConnectModulePath) -Force
    $script:Cloud = Start-JiraEmulator -Flavor cloud -Projects 12
    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) ("jiraconnect-suite-" + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path $script:Work

    # The ready suite runs in a fresh pwsh, as a user runs it: its own Pester, the built module, data in a container.
    $runner = @'
param($PesterModule, $ModulePath, $InputFile, $OutputFile)
$in = Get-Content $InputFile -Raw | ConvertFrom-Json
Remove-Item $InputFile
Import-Module $PesterModule
Import-Module $ModulePath
$data = @{ Url = [uri]$in.Url; Credential = [pscredential]::new($in.User, (ConvertTo-SecureString $in.Secret -AsPlainText -Force)) }
if ($in.Project) { $data.Project = [string[]]$in.Project }
if ($in.TokenExpiresAt) { $data.TokenExpiresAt = [DateTimeOffset]::Parse($in.TokenExpiresAt, [cultureinfo]::InvariantCulture) }
if ($in.ListenerUrl) { $data.ListenerUrl = [uri]$in.ListenerUrl; $data.ListenerToken = ConvertTo-SecureString $in.ListenerToken -AsPlainText -Force }
$config = New-PesterConfiguration
$config.Run.Container = New-PesterContainer -Path (Get-JiraEnvironmentTestPath) -Data $data
$config.Run.PassThru = $true
$config.Output.Verbosity = 'None'
$result = Invoke-Pester -Configuration $config
@($result.Tests | ForEach-Object {
    [pscustomobject]@{ Name = $_.ExpandedName; Result = $_.Result; Message = (@($_.ErrorRecord | ForEach-Object { $_.Exception.Message }) -join ' ') }
}) | ConvertTo-Json -Depth 3 | Set-Content -Path $OutputFile
'@
    $script:RunnerFile = Join-Path $script:Work 'run-suite.ps1'
    Set-Content -Path $script:RunnerFile -Value $runner

    function Invoke-EnvironmentSuite {
        param([string[]] $Project, [string] $Secret = (Get-TestSecret CloudAdminToken), [string] $ListenerToken, [Nullable[DateTimeOffset]] $TokenExpiresAt)
        $request = @{ Url = $script:Cloud.Url; User = 'admin@example.com'; Secret = $Secret; Project = $Project }
        if ($TokenExpiresAt) { $request.TokenExpiresAt = ([DateTimeOffset]$TokenExpiresAt).ToString('o', [cultureinfo]::InvariantCulture) }
        if ($ListenerToken) { $request.ListenerUrl = Get-EmulatorListenerUrl $script:Cloud; $request.ListenerToken = $ListenerToken }
        # Secrets reach the child through a file it deletes at once, never its command line.
        $inputFile = Join-Path $script:Work 'input.json'
        $outputFile = Join-Path $script:Work 'output.json'
        $request | ConvertTo-Json | Set-Content -Path $inputFile
        if (Test-Path $outputFile) { Remove-Item $outputFile }
        $run = Invoke-FreshPwsh -TimeoutSec 300 -File $script:RunnerFile -Parameters ([ordered]@{
                PesterModule = (Get-Module Pester).Path; ModulePath = (Get-JiraConnectModulePath); InputFile = $inputFile; OutputFile = $outputFile })
        if (-not (Test-Path $outputFile)) { throw "The suite wrote no results: $($run.Output)" }
        Get-Content $outputFile -Raw | ConvertFrom-Json
    }

    function Get-Outcome([object[]] $Results, [string] $Like) { $Results | Where-Object Name -like $Like | Select-Object -First 1 }
}

AfterAll {
    $script:Cloud | Stop-JiraEmulator
    Remove-Item $script:Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'The ready-made environment suite' {
    BeforeEach { Reset-JiraEmulator $script:Cloud }

    It 'ships with the module and is found by Get-JiraEnvironmentTestPath' {
        $path = Get-JiraEnvironmentTestPath
        $path | Should -Exist
        Split-Path $path -Parent | Should -Be (Split-Path (Get-JiraConnectModulePath) -Parent)
        Split-Path $path -Leaf | Should -Be 'JiraConnect.Environment.Tests.ps1'
        (Get-Command -Syntax $path) | Should -Match '-Url.*-Credential.*-Project.*-ListenerUrl.*-ListenerToken'
    }

    It 'passes against a healthy site' {
        $results = @(Invoke-EnvironmentSuite -Project DEV, FIN, IT -ListenerToken (Get-TestSecret EmulatorListenerToken))
        @($results | Where-Object Result -eq 'Failed' | ForEach-Object { "$($_.Name): $($_.Message)" }) | Should -BeNullOrEmpty
        @($results | Where-Object Result -eq 'Passed').Count | Should -Be 11
        (Get-Outcome $results 'has a credential that does not expire soon').Result | Should -Be 'Passed'
        @($results | Where-Object Result -eq 'Skipped').Name | Should -Be @('OAuthTokenExpiry', 'OAuthRefresh', 'OAuthScopes', 'OAuthAccessibleResources')
        (Get-Outcome $results 'Project IT*').Result | Should -Be 'Passed'
    }

    It 'fails with instructions for a missing permission and a listener that rejects the token' {
        $results = @(Invoke-EnvironmentSuite -Project IT, HR -ListenerToken 'not-the-listener-token')
        @($results | Where-Object Result -eq 'Failed').Name | Should -Be @('Project HR is ready for the integration', 'accepts a test delivery with the token within Jira''s limits')
        (Get-Outcome $results 'Project HR*').Message | Should -Be ('Project HR: the account lacks EDIT_ISSUES, TRANSITION_ISSUES, ASSIGN_ISSUES and DELETE_ISSUES and is not in the Administrators role. ' +
            'Run: Add-JiraProjectRoleActor -ProjectKey HR -Role Administrators')
        (Get-Outcome $results 'accepts a test delivery*').Message | Should -Match '^The listener rejected a test POST with the Bearer token with 401 .* Fix: The token does not match the listener''s credential'
        (Get-Outcome $results 'Project IT*').Result | Should -Be 'Passed'
        (Get-Outcome $results 'refuses a delivery*').Result | Should -Be 'Passed'
    }

    It 'fails with instructions against a revoked token' {
        Revoke-EmulatorToken $script:Cloud -Login 'admin@example.com'
        $results = @(Invoke-EnvironmentSuite -Project IT)
        $credentials = Get-Outcome $results 'accepts the credentials*'
        $credentials.Result | Should -Be 'Failed'
        $credentials.Message | Should -Match 'AuthenticatedAsAnonymous'
        $credentials.Message | Should -Match 'Fix: Check the email address or user name and the API token'
        $credentials.Message | Should -Match 'id\.atlassian\.com/manage-profile/security/api-tokens'
        (Get-Outcome $results 'Project IT*').Message | Should -Match '^Project IT: not checked, because the credentials failed'
        (Get-Outcome $results 'resolves in DNS').Result | Should -Be 'Passed'
        (Get-Outcome $results 'is active*').Message | Should -Be 'Not checked: Needs valid credentials.'
    }

    It 'fails with instructions for an API token that has expired' {
        $results = @(Invoke-EnvironmentSuite -Project IT -TokenExpiresAt ([DateTimeOffset]::UtcNow.AddDays(-1)))
        $expiry = Get-Outcome $results 'has a credential that does not expire soon'
        $expiry.Result | Should -Be 'Failed'
        $expiry.Message | Should -Match '^The API token expired at .* Fix: Create a new API token'
        (Get-Outcome $results 'Project IT*').Result | Should -Be 'Passed'
    }
}

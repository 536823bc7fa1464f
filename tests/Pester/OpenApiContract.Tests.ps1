# Update-OpenApiContract.ps1 (tests/JiraConnect.Core.Tests/Contract/OpenApi) on small documents shaped like Atlassian's:
# it keeps only the listed operations (in the source's order), the $ref closure of their components and the security schemes they name,
# the source's title and version, and writes the same bytes on every run.

BeforeAll {
    $script:Script = Join-Path $PSScriptRoot '../JiraConnect.Core.Tests/Contract/OpenApi/Update-OpenApiContract.ps1'
    $script:Cloud = Join-Path $TestDrive 'cloud-full.json'
    $script:DataCenter = Join-Path $TestDrive 'dc-full.json'
    $script:List = Join-Path $TestDrive 'Operations.txt'

    @{
        openapi    = '3.0.1'
        info       = @{ title = 'The Jira Cloud platform REST API'; version = '1001.0.0-SNAPSHOT-test'; description = 'long prose' }
        servers    = @(@{ url = 'https://your-domain.atlassian.net' })
        tags       = @(@{ name = 'Projects' })
        paths      = [ordered]@{
            '/rest/api/3/project/search'  = [ordered]@{
                get = @{ security = @(@{ basicAuth = @() }); responses = @{ '200' = @{ content = @{ 'application/json' = @{ schema = @{ '$ref' = '#/components/schemas/PageBeanProject' } } } } } }
            }
            '/rest/api/3/project/{key}'   = [ordered]@{
                get    = @{ responses = @{ '200' = @{ content = @{ 'application/json' = @{ schema = @{ '$ref' = '#/components/schemas/Project' } } } } } }
                delete = @{ security = @(@{ OAuth2 = @('manage:jira-project') }); responses = @{ '204' = @{ description = 'gone' } } }
            }
            '/rest/api/3/dashboard'       = [ordered]@{
                get = @{ responses = @{ '200' = @{ content = @{ 'application/json' = @{ schema = @{ '$ref' = '#/components/schemas/Dashboard' } } } } } }
            }
        }
        components = [ordered]@{
            schemas         = [ordered]@{
                Dashboard       = @{ type = 'object' }
                ErrorCollection = @{ type = 'object'; properties = @{ errorMessages = @{ type = 'array'; items = @{ type = 'string' } } } }
                PageBeanProject = @{ type = 'object'; properties = @{ values = @{ type = 'array'; items = @{ '$ref' = '#/components/schemas/Project' } } } }
                Project         = @{ type = 'object'; properties = @{ lead = @{ allOf = @(@{ '$ref' = '#/components/schemas/User' }) }; name = @{ type = 'string'; description = 'a property named like a keyword' } } }
                Unused          = @{ type = 'object' }
                User            = @{ type = 'object'; properties = @{ self = @{ type = 'string'; format = 'uri' } } }
            }
            securitySchemes = [ordered]@{
                OAuth2    = @{ type = 'oauth2' }
                basicAuth = @{ type = 'http'; scheme = 'basic' }
                other     = @{ type = 'apiKey' }
            }
        }
    } | ConvertTo-Json -Depth 30 -Compress | Set-Content -LiteralPath $script:Cloud -Encoding utf8NoBOM

    @{
        openapi    = '3.0.1'
        info       = @{ title = 'Jira Software Data Center REST API Reference'; version = '10.3.99' }
        servers    = @(@{ url = 'http://{baseurl}/rest' })
        paths      = [ordered]@{
            '/api/2/myself' = [ordered]@{
                get = @{ security = @(@{ basic = @() }); responses = @{ '200' = @{ content = @{ 'application/json' = @{ schema = @{ '$ref' = '#/components/schemas/UserBean' } } } } } }
                put = @{ responses = @{ '200' = @{ description = 'updated' } } }
            }
        }
        components = [ordered]@{
            securitySchemes = @{ basic = @{ type = 'http'; scheme = 'basic' } }
            schemas         = [ordered]@{ UserBean = @{ type = 'object' }; IssueBean = @{ type = 'object' } }
        }
    } | ConvertTo-Json -Depth 30 -Compress | Set-Content -LiteralPath $script:DataCenter -Encoding utf8NoBOM

    @(
        '# test list'
        '[cloud]'
        'GET /rest/api/3/project/search'
        'DELETE /rest/api/3/project/{key}'
        'schema ErrorCollection'
        ''
        '[datacenter]'
        'GET /api/2/myself'
    ) | Set-Content -LiteralPath $script:List -Encoding utf8NoBOM

    function Invoke-Update([string] $Output, [string] $ListPath = $script:List) {
        & $script:Script -CloudDocument $script:Cloud -DataCenterDocument $script:DataCenter -OperationList $ListPath -OutputFolder $Output
    }
}

Describe 'Update-OpenApiContract.ps1' {
    BeforeAll {
        $script:Out = Join-Path $TestDrive 'out'
        $script:Report = Invoke-Update $script:Out
        $script:TrimmedCloud = Get-Content -Raw (Join-Path $script:Out 'cloud.openapi.json') | ConvertFrom-Json -AsHashtable
        $script:TrimmedDataCenter = Get-Content -Raw (Join-Path $script:Out 'datacenter.openapi.json') | ConvertFrom-Json -AsHashtable
    }

    It 'keeps only the listed operations, and of a path only the listed methods' {
        $script:TrimmedCloud.paths.Keys | Should -Be @('/rest/api/3/project/search', '/rest/api/3/project/{key}')
        $script:TrimmedCloud.paths['/rest/api/3/project/{key}'].Keys | Should -Be @('delete')
        $script:TrimmedDataCenter.paths['/api/2/myself'].Keys | Should -Be @('get')
    }

    It 'keeps the $ref closure and the listed schemas, and nothing else' {
        $script:TrimmedCloud.components.schemas.Keys | Should -Be @('ErrorCollection', 'PageBeanProject', 'Project', 'User')
        $script:TrimmedDataCenter.components.schemas.Keys | Should -Be @('UserBean')
    }

    It 'keeps the security schemes the kept operations name' {
        $script:TrimmedCloud.components.securitySchemes.Keys | Should -Be @('OAuth2', 'basicAuth')
        $script:TrimmedDataCenter.components.securitySchemes.Keys | Should -Be @('basic')
    }

    It 'keeps the source title, version and servers, and drops tags' {
        $script:TrimmedCloud.info.title | Should -Be 'The Jira Cloud platform REST API'
        $script:TrimmedCloud.info.version | Should -Be '1001.0.0-SNAPSHOT-test'
        $script:TrimmedDataCenter.info.version | Should -Be '10.3.99'
        $script:TrimmedDataCenter.servers[0].url | Should -Be 'http://{baseurl}/rest'
        $script:TrimmedCloud.ContainsKey('tags') | Should -BeFalse
        $script:Report.Operations | Should -Be @(2, 1)
    }

    It 'writes the same bytes on a second run' {
        $again = Join-Path $TestDrive 'again'
        $null = Invoke-Update $again
        foreach ($name in 'cloud.openapi.json', 'datacenter.openapi.json') {
            (Get-FileHash (Join-Path $again $name)).Hash | Should -Be (Get-FileHash (Join-Path $script:Out $name)).Hash
        }
    }

    It 'fails, naming the operation, when the document lacks a listed one' {
        $bad = Join-Path $TestDrive 'bad.txt'
        (Get-Content $script:List) -replace 'GET /api/2/myself', 'POST /api/2/myself' | Set-Content $bad
        { Invoke-Update (Join-Path $TestDrive 'bad') $bad } | Should -Throw '*has no operation POST /api/2/myself*'
    }

    It 'the committed operation list parses and names both documents' {
        $committed = Join-Path $PSScriptRoot '../JiraConnect.Core.Tests/Contract/OpenApi/Operations.txt'
        $lines = Get-Content $committed
        $lines | Should -Contain '[cloud]'
        $lines | Should -Contain '[datacenter]'
        $lines | Should -Contain 'POST /rest/api/3/permissions/project'
    }
}

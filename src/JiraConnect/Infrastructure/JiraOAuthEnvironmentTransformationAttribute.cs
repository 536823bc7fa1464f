using System;
using System.Management.Automation;

namespace JiraConnect.Commands
{
    /// <summary>
    /// Lets -Environment take 'Atlassian', a base URL (string or Uri: /authorize, /oauth/token and the gateway on that
    /// host, as an emulator lays them out), or a hashtable with AuthorizationUrl, TokenUrl and ApiGatewayUrl.
    /// </summary>
    public sealed class JiraOAuthEnvironmentTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject ps ? ps.BaseObject : inputData;
            if (value is string text)
            {
                if (string.Equals(text, "Atlassian", StringComparison.OrdinalIgnoreCase)) return JiraOAuthEnvironment.Atlassian;
                if (Uri.TryCreate(text, UriKind.Absolute, out var url)) return JiraOAuthEnvironment.ForHost(url);
                throw new ArgumentTransformationMetadataException($"'{text}' is neither 'Atlassian' nor an absolute URL.");
            }
            if (value is Uri uri) return JiraOAuthEnvironment.ForHost(uri);
            return value;
        }
    }
}

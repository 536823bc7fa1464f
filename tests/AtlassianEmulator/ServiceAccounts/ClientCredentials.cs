namespace AtlassianEmulator;

/// <summary>An OAuth 2.0 client credential of a service account (client id and secret; scopes fixed at creation).</summary>
public sealed class ClientCredentialApp
{
    public required string ClientId { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public required string ClientSecret { get; init; }

    public required string Name { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public required UserAccount User { get; init; }

    /// <summary>The service account the credential belongs to.</summary>
    public string Account => User.Login;

    public required IReadOnlyList<string> Scopes { get; init; }

    /// <summary>Data Center (/rest/oauth2/latest/token, READ/WRITE) rather than Cloud (/oauth/token).</summary>
    public required bool DataCenter { get; init; }

    public bool Revoked { get; set; }
}

/// <summary>Body of POST /_emulator/service-accounts/credentials/revoke.</summary>
public sealed class ClientCredentialRevokeRequest
{
    public string? ClientId { get; set; }
}

/// <summary>Body of GET/PUT /_emulator/service-accounts/settings.</summary>
public sealed class ServiceAccountSettings
{
    /// <summary>Which bodies the client_credentials grant accepts: any (form or JSON), form, or json.</summary>
    public string? TokenRequestFormat { get; set; }
}

/// <summary>The client_credentials grant: one-hour access tokens, never a refresh token, revocable credentials.</summary>
public sealed partial class OAuthServer
{
    public const string DataCenterRead = "READ";
    public const string DataCenterWrite = "WRITE";

    private readonly Dictionary<string, ClientCredentialApp> _clientCredentials = new(StringComparer.Ordinal);
    private string _tokenRequestFormat = "any";

    public IReadOnlyList<ClientCredentialApp> ClientCredentials
    {
        get
        {
            lock (_gate)
            {
                return [.. _clientCredentials.Values];
            }
        }
    }

    public ServiceAccountSettings GetServiceAccountSettings()
    {
        lock (_gate)
        {
            return new ServiceAccountSettings { TokenRequestFormat = _tokenRequestFormat };
        }
    }

    public ServiceAccountSettings UpdateServiceAccountSettings(ServiceAccountSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.TokenRequestFormat is { } format && format is not ("any" or "form" or "json"))
        {
            throw new ArgumentException("tokenRequestFormat must be any, form or json.");
        }

        lock (_gate)
        {
            _tokenRequestFormat = settings.TokenRequestFormat ?? _tokenRequestFormat;
            return new ServiceAccountSettings { TokenRequestFormat = _tokenRequestFormat };
        }
    }

    /// <summary>Whether the client_credentials grant takes a body of this kind (form or JSON).</summary>
    internal bool AcceptsClientCredentialsBody(bool form)
    {
        lock (_gate)
        {
            return _tokenRequestFormat == "any" || _tokenRequestFormat == (form ? "form" : "json");
        }
    }

    /// <summary>Revokes a credential: its secret no longer gets tokens and the tokens it got stop working.</summary>
    public void RevokeClientCredential(string clientId)
    {
        lock (_gate)
        {
            if (!_clientCredentials.TryGetValue(clientId, out var app))
            {
                throw new ArgumentException($"No client credential has the client id '{clientId}'.");
            }

            app.Revoked = true;
            foreach (var token in _accessTokens.Values.Where(t => t.Family.App.ClientId == clientId))
            {
                token.Family.Revoked = true;
            }
        }
    }

    /// <summary>The token endpoint's client_credentials grant (Cloud /oauth/token or Data Center /rest/oauth2/latest/token).</summary>
    internal TokenOutcome ExchangeClientCredentials(TokenRequestDto request, bool dataCenter)
    {
        lock (_gate)
        {
            if (request.ClientId is null || !_clientCredentials.TryGetValue(request.ClientId, out var credential) || credential.DataCenter != dataCenter
                || request.ClientSecret is null || !EmulatorState.FixedTimeEquals(credential.ClientSecret, request.ClientSecret) || credential.Revoked)
            {
                return dataCenter
                    ? new TokenOutcome.Failed(StatusCodes.Status401Unauthorized, "invalid_client", "Client authentication failed")
                    : new TokenOutcome.Failed(StatusCodes.Status401Unauthorized, "access_denied", "Unauthorized");
            }

            IReadOnlyList<string> scopes = credential.Scopes;
            var asked = (request.Scope ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (asked.Length > 0)
            {
                // Data Center: WRITE includes READ.
                bool Granted(string s) => credential.Scopes.Contains(s, StringComparer.Ordinal)
                    || (dataCenter && s == DataCenterRead && credential.Scopes.Contains(DataCenterWrite, StringComparer.Ordinal));
                if (asked.FirstOrDefault(s => !Granted(s)) is { } missing)
                {
                    return new TokenOutcome.Failed(StatusCodes.Status400BadRequest, "invalid_scope", $"The scope '{missing}' is not granted to this client.");
                }

                scopes = asked;
            }

            var now = Clock;
            var family = new TokenFamily
            {
                App = new OAuthApp { ClientId = credential.ClientId, ClientSecret = credential.ClientSecret, Name = credential.Name, RedirectUris = [], Scopes = credential.Scopes },
                User = credential.User,
                CloudId = dataCenter ? string.Empty : SiteCloudId,
                Scopes = [.. scopes.Where(s => s != OfflineAccess)],
                ConsentedAt = now,
            };
            return Issue(family, now);
        }
    }

    /// <summary>Called under the lock by <see cref="Reset"/>: the seeded credentials, none revoked; any body accepted.</summary>
    private void ResetClientCredentials()
    {
        _clientCredentials.Clear();
        _tokenRequestFormat = "any";
        _clientCredentials[ServiceAccountSeed.CloudClientId] = new ClientCredentialApp
        {
            ClientId = ServiceAccountSeed.CloudClientId,
            ClientSecret = ServiceAccountSeed.CloudClientSecret,
            Name = "Jira sync (OAuth 2.0)",
            User = ServiceAccountSeed.Cloud,
            Scopes = ["read:jira-work", "read:jira-user"],
            DataCenter = false,
        };
        _clientCredentials[ServiceAccountSeed.DataCenterClientId] = new ClientCredentialApp
        {
            ClientId = ServiceAccountSeed.DataCenterClientId,
            ClientSecret = ServiceAccountSeed.DataCenterClientSecret,
            Name = "Jira sync (Data Center)",
            User = ServiceAccountSeed.DataCenter,
            Scopes = [DataCenterRead],
            DataCenter = true,
        };
    }
}

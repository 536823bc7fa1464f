using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace AtlassianEmulator;

/// <summary>Builds and starts the emulator on 127.0.0.1.</summary>
public static class EmulatorApp
{
    internal const string AdminPrefix = "/_emulator";

    /// <summary>Starts an emulator; the returned instance knows its URL and must be disposed.</summary>
    public static async Task<RunningEmulator> StartAsync(EmulatorOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var state = new EmulatorState(options);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, NoConsoleLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.AddSingleton(state);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, options.Port);
        });

        var app = builder.Build();
        ConfigurePipeline(app, state);

        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        state.BaseAddress = address.TrimEnd('/');
        return new RunningEmulator(app, state);
    }

    private static void ConfigurePipeline(WebApplication app, EmulatorState state)
    {
        app.UseMiddleware<RequestLogMiddleware>();
        app.UseMiddleware<ErrorMiddleware>();
        app.UseMiddleware<RateLimitHeadersMiddleware>();
        app.UseMiddleware<FaultMiddleware>();
        app.UseRouting();
        app.UseMiddleware<BurstLimitMiddleware>();
        app.UseMiddleware<JiraAuthenticationMiddleware>();

        // The site serves every endpoint; the API gateway all but issue creation, edits and transitions (see README.md).
        static void MapApi(IEndpointRouteBuilder group, JiraApi api, bool issueWrites)
        {
            ServerEndpoints.Map(group, api);
            ProjectEndpoints.Map(group, api);
            IssueEndpoints.Map(group, api, issueWrites);
            if (issueWrites)
            {
                IssueWriteEndpoints.Map(group, api);
            }

            AccessEndpoints.Map(group, api);
        }

        var representation = new JiraRepresentation(state);
        string[] versions = state.Flavor == EmulatorFlavor.Cloud ? ["3", "2"] : ["2"];
        foreach (var version in versions)
        {
            MapApi(app.MapGroup($"/rest/api/{version}"), new JiraApi(state, representation, version), issueWrites: true);
        }

        if (state.Flavor == EmulatorFlavor.DataCenter)
        {
            AllowlistEndpoints.Map(app, state);
            ServiceAccountEndpoints.MapDataCenter(app, state);
        }

        if (state.Flavor == EmulatorFlavor.Cloud)
        {
            // auth.atlassian.com and api.atlassian.com share the emulator's address.
            OAuthEndpoints.Map(app, state);
            RuleApiEndpoints.Map(app, state);
            OrgApiTokenEndpoints.Map(app);
            var gateway = new JiraRepresentation(state, $"/ex/jira/{OAuthServer.SiteCloudId}");
            foreach (var version in versions)
            {
                MapApi(app.MapGroup($"/ex/jira/{{cloudId}}/rest/api/{version}").WithMetadata(GatewayRoute.Instance), new JiraApi(state, gateway, version), issueWrites: false);
            }
        }

        ListenerEndpoints.Map(app, state);

        AdminEndpoints.Map(app.MapGroup(AdminPrefix), state);
        RuleApiAdminEndpoints.Map(app.MapGroup(AdminPrefix), state);
        ServiceAccountEndpoints.MapAdmin(app.MapGroup(AdminPrefix), state);
        IssueWriteEndpoints.MapAdmin(app.MapGroup(AdminPrefix), new JiraApi(state, representation, "2"));

        // Jira's answer to a REST path it does not serve (including /rest/api/3 on Data Center).
        app.MapFallback("/rest/{**path}", (RequestDelegate)(context =>
            JiraErrors.Error(StatusCodes.Status404NotFound, $"null for uri: {state.BaseAddress}{context.Request.Path}{context.Request.QueryString}")
                .ExecuteAsync(context)));
    }

    /// <summary>Leaves Ctrl+C and SIGTERM to the host process (Program handles them for the command line).</summary>
    private sealed class NoConsoleLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

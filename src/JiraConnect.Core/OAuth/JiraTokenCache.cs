using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Json;
using JiraConnect.Security;

namespace JiraConnect.OAuth
{
    /// <summary>What a cache file holds.</summary>
    internal sealed class CachedToken
    {
        public string ClientId { get; set; }
        public JiraOAuthEnvironment Environment { get; set; }
        public Uri RedirectUri { get; set; }
        public OAuthGrant Grant { get; set; }
    }

    /// <summary>
    /// A persisted token: written atomically (a temporary file in the same folder, flushed, then renamed over the old
    /// one), readable only by the user (DPAPI for the secrets on Windows; mode 0600 in a 0700 folder on Linux and
    /// macOS), refused as plain text elsewhere unless the caller opted in. A lock file keeps two processes from
    /// refreshing with the same refresh token.
    /// </summary>
    public sealed class JiraTokenCache
    {
        public const string Dpapi = "dpapi";
        public const string OwnerOnlyFile = "owner-only-file";
        public const string PlainText = "plaintext";
        private const int FileMode600 = 0x180;
        private const int FolderMode700 = 0x1C0;
        private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);

        private readonly bool _allowPlainText;

        private JiraTokenCache(string path, string protection, bool allowPlainText)
        {
            Path = path;
            Protection = protection;
            _allowPlainText = allowPlainText;
        }

        public string Path { get; }

        /// <summary>dpapi, owner-only-file or plaintext.</summary>
        public string Protection { get; }

        /// <summary>The folder of named caches: …/JiraConnect/TokenCache under the user's local application data.</summary>
        public static string DefaultFolder =>
            System.IO.Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.LocalApplicationData, System.Environment.SpecialFolderOption.Create), "JiraConnect", "TokenCache");

        public static string PathForName(string name)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Any(c => !(char.IsLetterOrDigit(c) || c == '-' || c == '_' || c == '.')) || name.StartsWith(".", StringComparison.Ordinal))
            {
                throw new JiraException(JiraErrorId.InvalidBody, JiraErrorKind.InvalidArgument,
                    $"'{name}' is not a valid token cache name.", name, "Use letters, digits, '-', '_' and '.', for example 'contoso-prod'.");
            }
            return System.IO.Path.Combine(DefaultFolder, name + ".json");
        }

        public static JiraTokenCache Open(string path, bool allowPlainText)
        {
            string full = System.IO.Path.GetFullPath(path);
            if (NativeMethods.IsWindows) return new JiraTokenCache(full, Dpapi, allowPlainText);
            if (NativeMethods.IsUnix) return new JiraTokenCache(full, OwnerOnlyFile, allowPlainText);
            if (allowPlainText) return new JiraTokenCache(full, PlainText, allowPlainText);
            throw Insecure(full, "this platform offers neither DPAPI nor owner-only file permissions");
        }

        /// <summary>The cached token, or null when there is no cache file.</summary>
        internal CachedToken TryLoad()
        {
            byte[] bytes;
            try
            {
                using (var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                using (var memory = new MemoryStream())
                {
                    stream.CopyTo(memory);
                    bytes = memory.ToArray();
                }
            }
            catch (FileNotFoundException) { return null; }
            catch (DirectoryNotFoundException) { return null; }

            try
            {
                var dto = JiraJson.Deserialize<TokenCacheDto>(bytes);
                if (dto == null || dto.Version != 1 || string.IsNullOrEmpty(dto.AccessToken)) throw new JsonException("not a JiraConnect token cache");
                var environment = new JiraOAuthEnvironment
                {
                    Name = dto.EnvironmentName,
                    AuthorizationUrl = new Uri(dto.AuthorizationUrl),
                    TokenUrl = new Uri(dto.TokenUrl),
                    ApiGatewayUrl = new Uri(dto.ApiGatewayUrl),
                    Audience = dto.Audience,
                };
                var grant = new OAuthGrant(Reveal(dto.AccessToken, dto.Protection).ToSecureString(),
                    string.IsNullOrEmpty(dto.RefreshToken) ? null : Reveal(dto.RefreshToken, dto.Protection).ToSecureString(),
                    dto.TokenType, dto.ExpiresAt, dto.Scopes?.ToArray(), dto.ObtainedAt);
                return new CachedToken { ClientId = dto.ClientId, Environment = environment, RedirectUri = string.IsNullOrEmpty(dto.RedirectUri) ? null : new Uri(dto.RedirectUri), Grant = grant };
            }
            catch (Exception e) when (e is JsonException || e is FormatException || e is UriFormatException || e is System.ComponentModel.Win32Exception || e is ArgumentException)
            {
                throw new JiraException(JiraErrorId.TokenCacheUnreadable, JiraErrorKind.InvalidOperation,
                    $"The token cache '{Path}' cannot be read ({e.GetType().Name}): it is damaged, or was written by another user or on another computer.",
                    Path, "Remove it with Disconnect-JiraSite -ClearTokenCache (or delete the file) and run Invoke-JiraOAuthConsent again.", e);
            }
            finally
            {
                Array.Clear(bytes, 0, bytes.Length);
            }
        }

        /// <summary>Writes the grant atomically. The caller holds the lock.</summary>
        internal void Save(JiraOAuthToken token, OAuthGrant grant)
        {
            string folder = System.IO.Path.GetDirectoryName(Path);
            EnsureFolder(folder);
            RemoveLeftovers();
            string temp = System.IO.Path.Combine(folder, "." + System.IO.Path.GetFileName(Path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            byte[] json = Serialize(token, grant);
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    // Owner-only before the first byte is written.
                    Restrict(temp, FileMode600);
                    stream.Write(json, 0, json.Length);
                    stream.Flush(flushToDisk: true);
                }
                if (File.Exists(Path)) File.Replace(temp, Path, null, ignoreMetadataErrors: true);
                else File.Move(temp, Path);
            }
            catch
            {
                TryDelete(temp);
                throw;
            }
            finally
            {
                Array.Clear(json, 0, json.Length);
            }
        }

        /// <summary>Removes the cache file, its leftovers and its lock file; false when there was nothing to remove.</summary>
        public bool Delete()
        {
            bool existed = File.Exists(Path);
            TryDelete(Path);
            RemoveLeftovers();
            TryDelete(Path + ".lock");
            return existed;
        }

        /// <summary>Waits (up to 30 s) for the cross-process lock of this cache.</summary>
        internal async Task<IDisposable> LockAsync(CancellationToken cancellationToken)
        {
            EnsureFolder(System.IO.Path.GetDirectoryName(Path));
            var deadline = DateTime.UtcNow + LockWait;
            while (true)
            {
                try
                {
                    var stream = new FileStream(Path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                    try { Restrict(Path + ".lock", FileMode600); }
                    catch { stream.Dispose(); throw; }
                    return stream;
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(50, cancellationToken).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    throw new JiraException(JiraErrorId.TokenCacheUnreadable, JiraErrorKind.ResourceUnavailable,
                        $"The token cache '{Path}' stayed locked by another process for {LockWait.TotalSeconds:0} s.", Path,
                        "Wait for the other JiraConnect process to finish, or remove the .lock file next to the cache if no such process runs.", e);
                }
            }
        }

        private byte[] Serialize(JiraOAuthToken token, OAuthGrant grant)
        {
            var dto = new TokenCacheDto
            {
                Version = 1,
                Protection = Protection,
                ClientId = token.ClientId,
                EnvironmentName = token.Environment.Name,
                AuthorizationUrl = token.Environment.AuthorizationUrl.AbsoluteUri,
                TokenUrl = token.Environment.TokenUrl.AbsoluteUri,
                ApiGatewayUrl = token.Environment.ApiGatewayUrl.AbsoluteUri,
                Audience = token.Environment.Audience,
                RedirectUri = token.RedirectUri?.OriginalString,
                Scopes = grant.Scopes.ToList(),
                TokenType = grant.TokenType,
                ExpiresAt = grant.ExpiresAt,
                ObtainedAt = grant.ObtainedAt,
                AccessToken = grant.AccessToken.Use(Conceal),
                RefreshToken = grant.RefreshToken?.Use(Conceal),
            };
            return JsonSerializer.SerializeToUtf8Bytes(dto, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
        }

        private string Conceal(string secret) =>
            Protection == Dpapi ? Convert.ToBase64String(NativeMethods.Protect(Encoding.UTF8.GetBytes(secret))) : secret;

        private static string Reveal(string stored, string protection)
        {
            if (protection != Dpapi) return stored;
            if (!NativeMethods.IsWindows) throw new FormatException("a DPAPI-protected cache can only be read on Windows");
            return Encoding.UTF8.GetString(NativeMethods.Unprotect(Convert.FromBase64String(stored)));
        }

        private void EnsureFolder(string folder)
        {
            if (Directory.Exists(folder)) return;
            Directory.CreateDirectory(folder);
            // Folders this cache creates are the user's alone; existing folders are left as they are.
            Restrict(folder, FolderMode700);
        }

        private void Restrict(string path, int mode)
        {
            if (Protection != OwnerOnlyFile) return;
            try
            {
                NativeMethods.SetUnixMode(path, mode);
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception || e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                if (_allowPlainText) return;
                throw Insecure(Path, "the file system refused owner-only permissions (" + e.Message + ")");
            }
        }

        private void RemoveLeftovers()
        {
            string folder = System.IO.Path.GetDirectoryName(Path);
            if (!Directory.Exists(folder)) return;
            foreach (var leftover in Directory.GetFiles(folder, "." + System.IO.Path.GetFileName(Path) + ".*.tmp")) TryDelete(leftover);
        }

        private static void TryDelete(string path)
        {
            try { File.Delete(path); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }

        private static JiraException Insecure(string path, string why) =>
            new JiraException(JiraErrorId.TokenCacheInsecure, JiraErrorKind.Security,
                $"Refusing to write the OAuth tokens to '{path}' as plain text: {why}.", path,
                "Keep the cache on a local disk of Windows, Linux or macOS, leave out the token cache, or add -AllowPlainTextTokenCache if the folder is protected by other means.");
    }
}

using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Security;

namespace JiraConnect.OAuth
{
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

        private readonly TokenCachePermissions _permissions;
        private readonly TokenCacheLock _lock;

        private JiraTokenCache(string path, string protection, bool allowPlainText)
        {
            Path = path;
            Protection = protection;
            _permissions = new TokenCachePermissions(path, protection == OwnerOnlyFile, allowPlainText);
            _lock = new TokenCacheLock(path, _permissions);
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
                throw new JiraException(JiraErrorId.InvalidArgument, JiraErrorKind.InvalidArgument,
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
            throw TokenCachePermissions.Insecure(full, "this platform offers neither DPAPI nor owner-only file permissions");
        }

        /// <summary>The most a cache file may hold; a token cache is a few kilobytes.</summary>
        internal const int MaxBytes = TokenCacheFileReader.MaxBytes;

        /// <summary>
        /// The cached token, or null when there is no cache file. On Linux and macOS the file must be a regular file
        /// (not a link, FIFO or device) owned by this user with no permission for group or others, in a folder that
        /// others cannot write to (unless it is sticky, like /tmp); anything else is refused with TokenCacheInsecure.
        /// </summary>
        internal CachedToken TryLoad()
        {
            byte[] bytes = new TokenCacheFileReader(Path).Read();
            if (bytes == null) return null;
            try
            {
                return TokenCacheFormat.Deserialize(bytes);
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

        /// <summary>
        /// The endpoints recorded in the file are never used: the caller's environment is. A file that names other
        /// endpoints (edited, or written for another environment) is refused before anything is sent anywhere.
        /// </summary>
        internal void EnsureSameEnvironment(CachedToken cached, JiraOAuthEnvironment expected)
        {
            var stored = cached.Environment;
            string Show(JiraOAuthEnvironment e) => $"authorization {e.AuthorizationUrl}, token {e.TokenUrl}, gateway {e.ApiGatewayUrl}";
            if (Uri.Compare(stored.AuthorizationUrl, expected.AuthorizationUrl, UriComponents.AbsoluteUri, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0
                && Uri.Compare(stored.TokenUrl, expected.TokenUrl, UriComponents.AbsoluteUri, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0
                && Uri.Compare(stored.ApiGatewayUrl, expected.ApiGatewayUrl, UriComponents.AbsoluteUri, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0
                && string.Equals(stored.Audience ?? JiraOAuthEnvironment.AtlassianAudience, expected.Audience ?? JiraOAuthEnvironment.AtlassianAudience, StringComparison.Ordinal))
            {
                return;
            }
            throw new JiraException(JiraErrorId.TokenCacheEnvironmentMismatch, JiraErrorKind.Security,
                $"The token cache '{Path}' records other OAuth endpoints ({Show(stored)}) than the environment of this call ({Show(expected)}); nothing was sent to either.",
                Path,
                "Pass the -Environment the cache was created with, use another -TokenCachePath or -TokenCacheName for this environment, or delete the file and run Invoke-JiraOAuthConsent again.");
        }

        /// <summary>Writes the grant atomically. The caller holds the lock.</summary>
        internal void Save(JiraOAuthToken token, OAuthGrant grant)
        {
            string folder = System.IO.Path.GetDirectoryName(Path);
            _permissions.EnsureFolder(folder);
            RemoveLeftovers();
            string temp = System.IO.Path.Combine(folder, "." + System.IO.Path.GetFileName(Path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            byte[] json = TokenCacheFormat.Serialize(token, grant, Protection);
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    // Owner-only before the first byte is written, on the handle (never through a path).
                    _permissions.Restrict(stream.SafeFileHandle);
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
            TryDelete(_lock.LockPath);
            return existed;
        }

        /// <summary>Waits (up to 30 s) for the cross-process lock of this cache; see <see cref="TokenCacheLock"/>.</summary>
        internal Task<IDisposable> LockAsync(CancellationToken cancellationToken) => _lock.AcquireAsync(cancellationToken);

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
    }
}

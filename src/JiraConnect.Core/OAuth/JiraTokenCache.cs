using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Json;
using JiraConnect.Security;
using Microsoft.Win32.SafeHandles;

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
            throw Insecure(full, "this platform offers neither DPAPI nor owner-only file permissions");
        }

        /// <summary>The most a cache file may hold; a token cache is a few kilobytes.</summary>
        internal const int MaxBytes = 1024 * 1024;

        /// <summary>
        /// The cached token, or null when there is no cache file. On Linux and macOS the file must be a regular file
        /// (not a link, FIFO or device) owned by this user with no permission for group or others, in a folder that
        /// others cannot write to (unless it is sticky, like /tmp); anything else is refused with TokenCacheInsecure.
        /// </summary>
        internal CachedToken TryLoad()
        {
            byte[] bytes = ReadBounded();
            if (bytes == null) return null;
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

        private byte[] ReadBounded()
        {
            if (!NativeMethods.IsUnix)
            {
                // Windows: DPAPI binds the secrets to the user, so another account cannot use a copied or readable file;
                // a link is still refused, and the read is bounded.
                var info = new FileInfo(Path);
                if (!info.Exists) return Directory.Exists(Path) ? throw InsecureFile("it is a directory") : null;
                if ((info.Attributes & FileAttributes.ReparsePoint) != 0) throw InsecureFile("it is a symbolic link or junction");
                try
                {
                    using (var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                        return ReadAtMost(stream);
                }
                catch (FileNotFoundException) { return null; }
                catch (DirectoryNotFoundException) { return null; }
            }

            string folder = System.IO.Path.GetDirectoryName(Path);
            var folderStatus = NativeMethods.Status(folder);
            if (folderStatus == null) return null;
            // Writable by group or others and not sticky: someone else could swap the file.
            if ((folderStatus.Value.Permissions & 0x12) != 0 && (folderStatus.Value.Permissions & 0x200) == 0)
            {
                throw InsecureFile($"its folder '{folder}' can be written by other users (mode {Octal(folderStatus.Value.Permissions)})", $"chmod 700 '{folder}'");
            }

            SafeFileHandle handle;
            try
            {
                handle = NativeMethods.OpenNoFollow(Path, write: false);
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                var link = NativeMethods.LinkStatus(Path);
                if (link != null && !link.Value.IsRegularFile) throw InsecureFile("it is " + link.Value.TypeName);
                throw new JiraException(JiraErrorId.TokenCacheUnreadable, JiraErrorKind.InvalidOperation,
                    $"The token cache '{Path}' cannot be opened ({e.Message}).", Path,
                    "Check the file's permissions, or delete it and run Invoke-JiraOAuthConsent again.", e);
            }
            if (handle == null) return null;
            using (handle)
            {
                var status = NativeMethods.HandleStatus(handle);
                if (!status.IsRegularFile) throw InsecureFile("it is " + status.TypeName);
                uint me = NativeMethods.EffectiveUserId;
                if (status.Uid != me) throw InsecureFile($"it belongs to user id {status.Uid}, not to you (user id {me})");
                if ((status.Permissions & 0x3F) != 0) throw InsecureFile($"other users may read or change it (mode {Octal(status.Permissions)})", $"chmod 600 '{Path}'");
                using (var stream = new FileStream(handle, FileAccess.Read, 1))
                    return ReadAtMost(stream);
            }
        }

        private byte[] ReadAtMost(Stream stream)
        {
            var buffer = new byte[16 * 1024];
            using (var memory = new MemoryStream())
            {
                int read;
                while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    if (memory.Length + read > MaxBytes)
                    {
                        Array.Clear(memory.GetBuffer(), 0, (int)memory.Length);
                        throw new JiraException(JiraErrorId.TokenCacheUnreadable, JiraErrorKind.InvalidOperation,
                            $"The token cache '{Path}' is larger than {MaxBytes / 1024} KiB, so it is not a JiraConnect token cache.", Path,
                            "Delete it (or pass another -TokenCachePath) and run Invoke-JiraOAuthConsent again.");
                    }
                    memory.Write(buffer, 0, read);
                }
                Array.Clear(buffer, 0, buffer.Length);
                var bytes = memory.ToArray();
                Array.Clear(memory.GetBuffer(), 0, (int)memory.Length);
                return bytes;
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

        private static string Octal(int mode) => "0" + Convert.ToString(mode & 0xFFF, 8);

        private JiraException InsecureFile(string why, string fix = null) =>
            new JiraException(JiraErrorId.TokenCacheInsecure, JiraErrorKind.Security,
                $"Refusing to use the token cache '{Path}': {why}. A cache must be a regular file that only you can read and write.", Path,
                (fix != null ? $"If you created it yourself, run {fix}; otherwise delete" : "Delete") + $" '{Path}' and run Invoke-JiraOAuthConsent again to consent anew.");

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
                    // Owner-only before the first byte is written, on the handle (never through a path).
                    Restrict(stream.SafeFileHandle);
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

        /// <summary>
        /// Waits (up to 30 s) for the cross-process lock of this cache. On Linux and macOS the lock file is opened
        /// without following links and must be a regular file of this user; its mode is set on the handle.
        /// </summary>
        internal async Task<IDisposable> LockAsync(CancellationToken cancellationToken)
        {
            EnsureFolder(System.IO.Path.GetDirectoryName(Path));
            var deadline = DateTime.UtcNow + LockWait;
            while (true)
            {
                IOException busy;
                try
                {
                    var held = NativeMethods.IsUnix ? TryLockUnix() : TryLockOther();
                    if (held != null) return held;
                    busy = null;
                }
                catch (IOException e)
                {
                    busy = e;
                }
                if (DateTime.UtcNow >= deadline)
                {
                    throw new JiraException(JiraErrorId.TokenCacheUnreadable, JiraErrorKind.ResourceUnavailable,
                        $"The token cache '{Path}' stayed locked by another process for {LockWait.TotalSeconds:0} s.", Path,
                        "Wait for the other JiraConnect process to finish, or remove the .lock file next to the cache if no such process runs.", busy);
                }
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }

        private IDisposable TryLockOther()
        {
            string lockPath = Path + ".lock";
            var info = new FileInfo(lockPath);
            if (info.Exists && (info.Attributes & FileAttributes.ReparsePoint) != 0) throw InsecureLock("it is a symbolic link or junction");
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }

        /// <summary>The locked handle, or null when another process holds the lock.</summary>
        private IDisposable TryLockUnix()
        {
            string lockPath = Path + ".lock";
            SafeFileHandle handle = null;
            for (int attempt = 0; handle == null; attempt++)
            {
                try
                {
                    handle = NativeMethods.OpenNoFollow(lockPath, write: true);
                }
                catch (System.ComponentModel.Win32Exception e)
                {
                    var link = NativeMethods.LinkStatus(lockPath);
                    if (link != null && !link.Value.IsRegularFile) throw InsecureLock("it is " + link.Value.TypeName);
                    throw new IOException("Opening " + lockPath + " failed: " + e.Message, e);
                }
                if (handle != null || attempt > 3) break;
                // O_CREAT | O_EXCL: creates a new file and never follows a link planted at the path.
                try { new FileStream(lockPath, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite).Dispose(); }
                catch (IOException) { }
            }
            if (handle == null) throw new IOException("The lock file " + lockPath + " could not be created.");
            try
            {
                var status = NativeMethods.HandleStatus(handle);
                if (!status.IsRegularFile) throw InsecureLock("it is " + status.TypeName);
                if (status.Uid != NativeMethods.EffectiveUserId) throw InsecureLock($"it belongs to user id {status.Uid}");
                Restrict(handle);
                if (NativeMethods.TryLockExclusive(handle)) return handle;
                handle.Dispose();
                return null;
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }

        private JiraException InsecureLock(string why) =>
            new JiraException(JiraErrorId.TokenCacheInsecure, JiraErrorKind.Security,
                $"Refusing to use the lock file '{Path}.lock': {why}.", Path + ".lock",
                $"Delete '{Path}.lock' (JiraConnect creates it again as a regular file only you can use) and run the command again.");

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
            Restricting(() => NativeMethods.SetUnixMode(path, mode));
        }

        /// <summary>0600 on the open file itself (fchmod), so a link swapped in at the path changes nothing else.</summary>
        private void Restrict(SafeFileHandle handle)
        {
            if (Protection != OwnerOnlyFile) return;
            Restricting(() => NativeMethods.SetUnixMode(handle, FileMode600));
        }

        private void Restricting(Action restrict)
        {
            try
            {
                restrict();
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

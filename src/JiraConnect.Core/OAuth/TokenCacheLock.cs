using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Security;
using Microsoft.Win32.SafeHandles;

namespace JiraConnect.OAuth
{
    /// <summary>
    /// The cross-process lock of a token cache (the file next to it ending in .lock), so two processes never refresh
    /// with the same refresh token. On Linux and macOS the lock file is opened without following links and must be a
    /// regular file of this user; its mode is set on the handle.
    /// </summary>
    internal sealed class TokenCacheLock
    {
        private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);

        private readonly string _cachePath;
        private readonly TokenCachePermissions _permissions;

        internal TokenCacheLock(string cachePath, TokenCachePermissions permissions)
        {
            _cachePath = cachePath;
            _permissions = permissions;
        }

        internal string LockPath => _cachePath + ".lock";

        /// <summary>Waits (up to 30 s) for the lock; disposing the result releases it.</summary>
        internal async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
        {
            _permissions.EnsureFolder(Path.GetDirectoryName(_cachePath));
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
                        $"The token cache '{_cachePath}' stayed locked by another process for {LockWait.TotalSeconds:0} s.", _cachePath,
                        "Wait for the other JiraConnect process to finish, or remove the .lock file next to the cache if no such process runs.", busy);
                }
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }

        private IDisposable TryLockOther()
        {
            string lockPath = LockPath;
            var info = new FileInfo(lockPath);
            if (info.Exists && (info.Attributes & FileAttributes.ReparsePoint) != 0) throw InsecureLock("it is a symbolic link or junction");
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }

        /// <summary>The locked handle, or null when another process holds the lock.</summary>
        private IDisposable TryLockUnix()
        {
            string lockPath = LockPath;
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
                _permissions.Restrict(handle);
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
                $"Refusing to use the lock file '{LockPath}': {why}.", LockPath,
                $"Delete '{LockPath}' (JiraConnect creates it again as a regular file only you can use) and run the command again.");
    }
}

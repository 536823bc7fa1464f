using System;
using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace JiraConnect.Security
{
    /// <summary>
    /// DPAPI (CryptProtectData, current user) on Windows; on Linux and macOS chmod, and the handful of calls the token
    /// cache needs to open a file without following links or blocking (open with O_NOFOLLOW | O_NONBLOCK, fstat,
    /// fchmod, flock), by P/Invoke so that the module needs no extra assembly on either edition of PowerShell. File
    /// status comes from the .NET runtime's own native shim (always loaded under PowerShell 7 on Unix), whose layout
    /// does not depend on the platform.
    /// </summary>
    internal static class NativeMethods
    {
        private const int CryptProtectUiForbidden = 0x1;
        private static readonly byte[] Entropy = System.Text.Encoding.UTF8.GetBytes("JiraConnect.TokenCache.v1");

        public static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        public static bool IsUnix => RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX);

        public static byte[] Protect(byte[] data) => Crypt(data, protect: true);

        public static byte[] Unprotect(byte[] data) => Crypt(data, protect: false);

        /// <summary>Sets a file's mode (0600, 0700); throws when the file system refuses.</summary>
        public static void SetUnixMode(string path, int mode)
        {
            if (chmod(path, (uint)mode) != 0)
                throw new Win32Exception(Marshal.GetLastWin32Error(), "chmod failed for " + path);
        }

        /// <summary>File type bits of st_mode (the same on Linux and macOS).</summary>
        public const int FileTypeMask = 0xF000, RegularFile = 0x8000, Directory = 0x4000, SymbolicLink = 0xA000;

        /// <summary>What stat says about a file: its mode (type and permission bits) and owner.</summary>
        public struct UnixFileStatus
        {
            public int Mode;
            public uint Uid;
            public long Size;
            public bool IsRegularFile => (Mode & FileTypeMask) == RegularFile;
            public bool IsDirectory => (Mode & FileTypeMask) == Directory;
            public bool IsSymbolicLink => (Mode & FileTypeMask) == SymbolicLink;
            public int Permissions => Mode & 0xFFF;

            public string TypeName
            {
                get
                {
                    switch (Mode & FileTypeMask)
                    {
                        case RegularFile: return "a regular file";
                        case Directory: return "a directory";
                        case SymbolicLink: return "a symbolic link";
                        case 0x1000: return "a named pipe (FIFO)";
                        case 0x2000: return "a character device";
                        case 0x6000: return "a block device";
                        case 0xC000: return "a socket";
                        default: return "not a regular file";
                    }
                }
            }
        }

        /// <summary>The effective user id of this process.</summary>
        public static uint EffectiveUserId => geteuid();

        /// <summary>lstat (links not followed); null when the path does not exist.</summary>
        public static UnixFileStatus? LinkStatus(string path) => StatusOf(buffer => SystemNative_LStat(path, buffer));

        /// <summary>stat (links followed); null when the path does not exist.</summary>
        public static UnixFileStatus? Status(string path) => StatusOf(buffer => SystemNative_Stat(path, buffer));

        /// <summary>fstat of an open descriptor.</summary>
        public static UnixFileStatus HandleStatus(SafeHandle handle)
        {
            bool added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                IntPtr fd = handle.DangerousGetHandle();
                return StatusOf(buffer => SystemNative_FStat(fd, buffer)) ?? throw new Win32Exception(Marshal.GetLastWin32Error(), "fstat failed");
            }
            finally
            {
                if (added) handle.DangerousRelease();
            }
        }

        /// <summary>
        /// Opens an existing file without following a symbolic link in its last component and without blocking on a
        /// FIFO or device (O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC). Returns null when the file does not exist; throws
        /// Win32Exception otherwise (ELOOP for a link).
        /// </summary>
        public static SafeFileHandle OpenNoFollow(string path, bool write)
        {
            int flags = (write ? 2 : 0) | NoFollowFlag | NonBlockFlag | CloseOnExecFlag;
            int fd = open(path, flags, 0);
            if (fd < 0)
            {
                int errno = Marshal.GetLastWin32Error();
                if (errno == 2) return null; // ENOENT
                throw new Win32Exception(errno, "open failed for " + path);
            }
            return new SafeFileHandle((IntPtr)fd, ownsHandle: true);
        }

        /// <summary>fchmod: sets the mode of the open file itself, never of what a path points to now.</summary>
        public static void SetUnixMode(SafeHandle handle, int mode)
        {
            bool added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                if (fchmod((int)handle.DangerousGetHandle(), (uint)mode) != 0)
                    throw new Win32Exception(Marshal.GetLastWin32Error(), "fchmod failed");
            }
            finally
            {
                if (added) handle.DangerousRelease();
            }
        }

        /// <summary>flock(LOCK_EX | LOCK_NB): false when another process holds the lock.</summary>
        public static bool TryLockExclusive(SafeHandle handle)
        {
            bool added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                if (flock((int)handle.DangerousGetHandle(), 2 | 4) == 0) return true;
                int errno = Marshal.GetLastWin32Error();
                if (errno == 11 || errno == 35) return false; // EWOULDBLOCK on Linux, macOS
                throw new Win32Exception(errno, "flock failed");
            }
            finally
            {
                if (added) handle.DangerousRelease();
            }
        }

        private static bool IsMac => RuntimeInformation.IsOSPlatform(OSPlatform.OSX);

        private static int NoFollowFlag => IsMac ? 0x100
            : (RuntimeInformation.OSArchitecture == Architecture.Arm || RuntimeInformation.OSArchitecture == Architecture.Arm64) ? 0x8000 : 0x20000;

        private static int NonBlockFlag => IsMac ? 0x4 : 0x800;

        private static int CloseOnExecFlag => IsMac ? 0x1000000 : 0x80000;

        private static UnixFileStatus? StatusOf(StatCall call)
        {
            // The runtime's FileStatus starts with Flags, Mode, Uid, Gid (int32 each) and Size (int64) in every .NET
            // version; the buffer leaves room for the fields that later versions added after them.
            IntPtr buffer = Marshal.AllocHGlobal(512);
            try
            {
                if (call(buffer) != 0)
                {
                    int errno = Marshal.GetLastWin32Error();
                    if (errno == 2) return null; // ENOENT
                    throw new Win32Exception(errno, "stat failed");
                }
                return new UnixFileStatus { Mode = Marshal.ReadInt32(buffer, 4), Uid = (uint)Marshal.ReadInt32(buffer, 8), Size = Marshal.ReadInt64(buffer, 16) };
            }
            finally
            {
                Marshal.FreeHGlobal(buffer);
            }
        }

        private delegate int StatCall(IntPtr buffer);

        private static byte[] Crypt(byte[] data, bool protect)
        {
            var input = new DataBlob();
            var entropy = new DataBlob();
            var output = new DataBlob();
            var handles = new[] { GCHandle.Alloc(data, GCHandleType.Pinned), GCHandle.Alloc(Entropy, GCHandleType.Pinned) };
            try
            {
                input.cbData = data.Length;
                input.pbData = handles[0].AddrOfPinnedObject();
                entropy.cbData = Entropy.Length;
                entropy.pbData = handles[1].AddrOfPinnedObject();
                bool ok = protect
                    ? CryptProtectData(ref input, null, ref entropy, IntPtr.Zero, IntPtr.Zero, CryptProtectUiForbidden, ref output)
                    : CryptUnprotectData(ref input, IntPtr.Zero, ref entropy, IntPtr.Zero, IntPtr.Zero, CryptProtectUiForbidden, ref output);
                if (!ok) throw new Win32Exception(Marshal.GetLastWin32Error());
                var result = new byte[output.cbData];
                Marshal.Copy(output.pbData, result, 0, output.cbData);
                return result;
            }
            finally
            {
                foreach (var handle in handles) handle.Free();
                if (output.pbData != IntPtr.Zero)
                {
                    for (int i = 0; i < output.cbData; i++) Marshal.WriteByte(output.pbData, i, 0);
                    LocalFree(output.pbData);
                }
            }
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct DataBlob
        {
            public int cbData;
            public IntPtr pbData;
        }

        [DllImport("crypt32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
        private static extern bool CryptProtectData(ref DataBlob dataIn, string description, ref DataBlob entropy, IntPtr reserved, IntPtr prompt, int flags, ref DataBlob dataOut);

        [DllImport("crypt32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
        private static extern bool CryptUnprotectData(ref DataBlob dataIn, IntPtr description, ref DataBlob entropy, IntPtr reserved, IntPtr prompt, int flags, ref DataBlob dataOut);

        [DllImport("kernel32.dll")]
        private static extern IntPtr LocalFree(IntPtr handle);

        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi)]
        private static extern int chmod(string path, uint mode);

        // Called without O_CREAT only, so the variadic mode argument is never read.
        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi)]
        private static extern int open(string path, int flags, uint mode);

        [DllImport("libc", SetLastError = true)]
        private static extern int fchmod(int fd, uint mode);

        [DllImport("libc", SetLastError = true)]
        private static extern int flock(int fd, int operation);

        [DllImport("libc")]
        private static extern uint geteuid();

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_FStat", SetLastError = true)]
        private static extern int SystemNative_FStat(IntPtr fd, IntPtr output);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true, CharSet = CharSet.Ansi)]
        private static extern int SystemNative_Stat(string path, IntPtr output);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", SetLastError = true, CharSet = CharSet.Ansi)]
        private static extern int SystemNative_LStat(string path, IntPtr output);
    }
}

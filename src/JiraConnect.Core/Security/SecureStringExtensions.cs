using System;
using System.Runtime.InteropServices;
using System.Security;

namespace JiraConnect.Security
{
    /// <summary>Unwraps a SecureString only for the moment a value is needed.</summary>
    internal static class SecureStringExtensions
    {
        public static T Use<T>(this SecureString secret, Func<string, T> use)
        {
            if (secret == null) throw new ArgumentNullException(nameof(secret));
            IntPtr ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(secret);
                return use(Marshal.PtrToStringUni(ptr) ?? string.Empty);
            }
            finally
            {
                if (ptr != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(ptr);
            }
        }

        public static bool IsEmpty(this SecureString secret) => secret == null || secret.Length == 0;
    }
}

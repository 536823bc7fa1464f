using System.Threading;

namespace JiraConnect
{
    public enum JiraLogLevel { Verbose, Debug, Warning }

    /// <summary>Receives log lines from the engine. Implementations must be thread safe; lines are already redacted.</summary>
    public interface IJiraLogSink
    {
        bool IsEnabled(JiraLogLevel level);
        void Write(JiraLogLevel level, string message);
    }

    /// <summary>The sink of the current logical operation; flows with async calls.</summary>
    public static class JiraLog
    {
        private static readonly AsyncLocal<IJiraLogSink> CurrentSink = new AsyncLocal<IJiraLogSink>();

        public static IJiraLogSink Current
        {
            get => CurrentSink.Value;
            set => CurrentSink.Value = value;
        }

        internal static bool IsEnabled(JiraLogLevel level) => Current?.IsEnabled(level) == true;

        internal static void Verbose(string message) => Current?.Write(JiraLogLevel.Verbose, message);
        internal static void Debug(string message) => Current?.Write(JiraLogLevel.Debug, message);
        internal static void Warning(string message) => Current?.Write(JiraLogLevel.Warning, message);
    }
}

using System.Collections.Generic;
using JiraConnect.Security;

namespace JiraConnect.Automation
{
    /// <summary>Masks the hidden header values of a write in every log line, whatever the pipeline logs.</summary>
    internal sealed class MaskingLogSink : IJiraLogSink
    {
        private readonly IJiraLogSink _inner;
        private readonly IReadOnlyList<string> _secrets;

        public MaskingLogSink(IJiraLogSink inner, IReadOnlyList<string> secrets)
        {
            _inner = inner;
            _secrets = secrets;
        }

        public bool IsEnabled(JiraLogLevel level) => _inner.IsEnabled(level);

        public void Write(JiraLogLevel level, string message)
        {
            foreach (var secret in _secrets) message = message.Replace(secret, Redactor.Mask);
            _inner.Write(level, message);
        }
    }
}

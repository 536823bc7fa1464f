using System;
using System.Management.Automation;

namespace JiraConnect.Commands
{
    /// <summary>The one place engine exceptions become ErrorRecords: stable ErrorId, fitting category, target, what to do next.</summary>
    internal static class ErrorRecordFactory
    {
        public static ErrorRecord Create(Exception exception, object target = null)
        {
            if (exception is JiraException jira)
            {
                var record = new ErrorRecord(jira, jira.ErrorId, ToCategory(jira.Kind), target ?? jira.Target);
                // The remedy goes once into the message PowerShell shows, on 5.1 and 7 alike; ErrorDetails.RecommendedAction
                // stays empty, or PowerShell 7's error view would print it a second time. The exception keeps it
                // on its own ($error[0].Exception.RecommendedAction).
                string details = jira.Message;
                if (!string.IsNullOrEmpty(jira.RecommendedAction)) details += " " + jira.RecommendedAction;
                record.ErrorDetails = new ErrorDetails(details);
                return record;
            }
            if (exception is ArgumentException argument)
                return new ErrorRecord(argument, JiraErrorId.InvalidArgument, ErrorCategory.InvalidArgument, target);
            return new ErrorRecord(exception, exception.GetType().Name, ErrorCategory.NotSpecified, target);
        }

        public static ErrorRecord Create(string errorId, JiraErrorKind kind, string message, object target, string recommendedAction) =>
            Create(new JiraException(errorId, kind, message, target?.ToString(), recommendedAction), target);

        internal static ErrorCategory ToCategory(JiraErrorKind kind)
        {
            switch (kind)
            {
                case JiraErrorKind.Authentication: return ErrorCategory.AuthenticationError;
                case JiraErrorKind.PermissionDenied: return ErrorCategory.PermissionDenied;
                case JiraErrorKind.NotFound: return ErrorCategory.ObjectNotFound;
                case JiraErrorKind.InvalidArgument: return ErrorCategory.InvalidArgument;
                case JiraErrorKind.LimitsExceeded: return ErrorCategory.LimitsExceeded;
                case JiraErrorKind.Connection: return ErrorCategory.ConnectionError;
                case JiraErrorKind.Timeout: return ErrorCategory.OperationTimeout;
                case JiraErrorKind.Protocol: return ErrorCategory.ProtocolError;
                case JiraErrorKind.Security: return ErrorCategory.SecurityError;
                case JiraErrorKind.ResourceUnavailable: return ErrorCategory.ResourceUnavailable;
                case JiraErrorKind.InvalidOperation: return ErrorCategory.InvalidOperation;
                case JiraErrorKind.OperationStopped: return ErrorCategory.OperationStopped;
                default: return ErrorCategory.NotSpecified;
            }
        }
    }
}

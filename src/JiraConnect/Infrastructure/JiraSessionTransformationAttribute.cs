using System.Management.Automation;

namespace JiraConnect.Commands
{
    /// <summary>
    /// Lets -Session take a session name as well as a session object. A name that names no session binds as a closed
    /// stand-in, which JiraCmdlet.ResolveSession reports as SessionNotFound (a binding error could only say
    /// ParameterArgumentTransformationError).
    /// </summary>
    public sealed class JiraSessionTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject ps ? ps.BaseObject : inputData;
            if (value is string name)
            {
                return JiraSessionRegistry.GetOrUnresolved(name.Trim());
            }
            return value;
        }
    }
}

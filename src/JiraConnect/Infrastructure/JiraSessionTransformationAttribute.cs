using System.Management.Automation;

namespace JiraConnect.Commands
{
    /// <summary>Lets -Session take a session name as well as a session object.</summary>
    public sealed class JiraSessionTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject ps ? ps.BaseObject : inputData;
            if (value is string name)
            {
                var session = JiraSessionRegistry.Get(name);
                if (session == null)
                {
                    throw new ArgumentTransformationMetadataException(
                        $"There is no Jira session named '{name}'. Run Get-JiraSession to list sessions, or Connect-JiraSite -Name '{name}' to open one.");
                }
                return session;
            }
            return value;
        }
    }
}

namespace Cascoin.L2.Primitives.Configuration;

/// <summary>The command line or a configuration file is wrong; the message says where and how.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string message) : base(message)
    {
    }
}

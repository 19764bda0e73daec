namespace Cascoin.L2.Sequencing.Encryption;

/// <summary>The P2P commands of the encrypted mempool (convention 12); each payload's codec is its message type's.</summary>
public static class EncryptionMessages
{
    /// <summary>A signed message of an epoch key's DKG run (<see cref="DkgMessage"/>).</summary>
    public const string Dkg = "l2dkg";
}

using Cascoin.L2.Primitives;

namespace Cascoin.L2.Settlement.L1;

/// <summary>
/// Why the settlement chain refused a transaction (it cannot be in a block: the first six) or failed
/// its contract call (it is mined, pays its fee and changes nothing else). The reason decides the RPC
/// error code and is stored in the receipt; the message is for people. Stored as a byte: append only.
/// </summary>
public enum L1RefuseReason : byte
{
    BadSignature = 1,
    NonceTooLow,
    NonceTooHigh,
    FeeTooLow,
    InsufficientFunds,
    AlreadyInMempool,

    /// <summary>The call's payload or a record it carries does not decode.</summary>
    Malformed,
    UnknownChain,

    /// <summary>The chain's status (emergency, deprecated, bootstrapping) does not take this call.</summary>
    ChainStatus,

    /// <summary>A value, name or setting outside its allowed range.</summary>
    BadParameter,

    /// <summary>The sender's balance (or bonded stake) does not cover the call's value.</summary>
    InsufficientBalance,

    /// <summary>A per-transaction or per-day deposit or withdrawal limit.</summary>
    LimitExceeded,
    CircuitBreaker,

    /// <summary>The bridge holds less than the payment.</summary>
    BridgeUnderfunded,
    UnknownAnchor,

    /// <summary>A period (challenge, withdrawal) is not over yet.</summary>
    TooEarly,

    /// <summary>Paid, executed, exited or slashed already: a call that counts once.</summary>
    AlreadyDone,

    /// <summary>A Merkle proof that does not show the record under the anchored root.</summary>
    BadProof,

    /// <summary>No anchor was final when the chain entered emergency mode.</summary>
    NoFinalRoot,

    /// <summary>An anchor's block range does not follow the anchored chain of headers.</summary>
    BadRange,

    /// <summary>A header names an L1 block that is not this chain's, too old, or in the future.</summary>
    BadL1Reference,

    /// <summary>The queue counts an anchor claims do not match its last header or the queues.</summary>
    BadQueueCount,

    /// <summary>A certificate with a signature that does not recover, a repeated or foreign signer, or less than the quorum.</summary>
    BadCertificate,

    /// <summary>Double-signing evidence that does not show two conflicting signed messages of one staker.</summary>
    BadEvidence,
    NoStake,
    ChainIdTaken,

    /// <summary>Not allowed on this network or through this path (regtest-only calls, value to system contracts, reentrancy).</summary>
    NotAllowed,
    Unsupported,

    /// <summary>An anchor whose DA commitment is not the one its data gives.</summary>
    BadCommitment,

    /// <summary>An anchor without its batch data, or data that does not decode or is not its headers' blocks.</summary>
    BadData,
}

/// <summary>A refusal: the reason and a message for people, e.g. "withdrawal 3f… was already paid".</summary>
public sealed record L1Refusal(L1RefuseReason Reason, string Message)
{
    /// <summary>The bitcoind-style short name of the reason, e.g. "nonce-too-low".</summary>
    public string Code => Reason == L1RefuseReason.AlreadyInMempool ? "txn-already-in-mempool" : Kebab(Reason.ToString());

    /// <summary>Whether the transaction itself cannot be in a block (as opposed to a call that is mined and fails).</summary>
    public bool IsInvalidTransaction => Reason <= L1RefuseReason.AlreadyInMempool;

    public static L1Refusal UnknownChain(ulong chainId) => new(L1RefuseReason.UnknownChain, $"unknown chain {chainId}");

    /// <summary>The chain's status does not take <paramref name="what"/>, e.g. "deposits are closed".</summary>
    public static L1Refusal Closed(ulong chainId, Contracts.ChainStatus status, string what) =>
        new(L1RefuseReason.ChainStatus, $"chain {chainId} is {status.ToString().ToLowerInvariant()}: {what}");

    public static L1Refusal Malformed(string what, DecodeException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return new(L1RefuseReason.Malformed, $"{what}: {ex.Message}");
    }

    public override string ToString() => $"{Code}: {Message}";

    /// <summary>The stored form: the reason byte and the message.</summary>
    public void WriteTo(SpanWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteByte((byte)Reason);
        var message = System.Text.Encoding.UTF8.GetBytes(Message);
        // Messages are built by the contracts and short; a long one is cut rather than stored unreadable.
        writer.WriteVarBytes(message.AsSpan(0, Math.Min(message.Length, MaxMessageBytes)));
    }

    public static L1Refusal Read(ref SpanReader reader)
    {
        var reason = (L1RefuseReason)reader.ReadByte();
        if (!Enum.IsDefined(reason))
            throw new DecodeException($"unknown L1 refusal reason {(byte)reason}");
        return new L1Refusal(reason, System.Text.Encoding.UTF8.GetString(reader.ReadVarBytes(MaxMessageBytes)));
    }

    /// <summary>The longest stored message.</summary>
    public const int MaxMessageBytes = 4096;

    private static string Kebab(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && builder.Length > 0)
                builder.Append('-');
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }
}

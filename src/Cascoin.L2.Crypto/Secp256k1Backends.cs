namespace Cascoin.L2.Crypto;

/// <summary>
/// The process-wide secp256k1 backends. Both are immutable once created; <see cref="Best"/> is
/// decided once, on first use. A composition root that wants a specific backend passes it
/// explicitly instead (every key and signature method takes an optional backend).
/// </summary>
public static class Secp256k1Backends
{
    private static readonly Lazy<LibSecp256k1?> NativeInstance = new(LibSecp256k1.TryLoadShared, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<ISecp256k1Backend> BestInstance = new(ChooseBest, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>libsecp256k1 when it loads, otherwise BouncyCastle.</summary>
    public static ISecp256k1Backend Best => BestInstance.Value;

    /// <summary>The managed backend; always available.</summary>
    public static BouncyCastleSecp256k1 BouncyCastle { get; } = new();

    /// <summary>The shared libsecp256k1 instance, or null when the library is not installed. Never disposed
    /// (its <see cref="LibSecp256k1.Dispose"/> does nothing).</summary>
    public static LibSecp256k1? Native => NativeInstance.Value;

    private static ISecp256k1Backend ChooseBest() => NativeInstance.Value is { } native ? native : BouncyCastle;

    internal static ISecp256k1Backend OrBest(this ISecp256k1Backend? backend) => backend ?? Best;
}

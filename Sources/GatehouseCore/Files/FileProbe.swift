/// A file's device and inode: what makes "the file that was checked" and "the file that was opened" the same file.
public struct FileIdentity: Sendable, Hashable, Codable {
    public var device: UInt64
    public var inode: UInt64

    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }
}

/// What the I/O layer learned about a path without opening it (lstat, realpath), for ``FileCheck/precheck(_:policy:)``.
///
/// It is a plain value so the checks can be tested without a file system, and so a probe taken from one
/// file can be handed to the read step of another to prove the dev/inode comparison.
public struct FileProbe: Sendable, Equatable {
    /// What `lstat` said the path's last component is.
    public enum NodeType: String, Sendable, Codable {
        case regular
        case directory
        case symlink
        case fifo
        case socket
        case characterDevice = "character_device"
        case blockDevice = "block_device"
        case other
    }

    /// The path exactly as the agent gave it.
    public var requestedPath: String
    /// Why the path is unusable as written (see ``FilePathRules/problem(with:)``); nil when well-formed.
    public var pathProblem: String?
    /// The requested path with `~` expanded; nil when ``pathProblem`` is set.
    public var absolutePath: String?
    /// The first directory on the way to the file that is a symlink, as a path prefix; nil if none.
    public var symlinkInPath: String?
    /// True when the last component itself is a symlink.
    public var isSymlink: Bool
    /// `lstat`'s type of the last component; nil when nothing exists there.
    public var nodeType: NodeType?
    /// `realpath` of ``absolutePath``; nil when it does not resolve.
    public var resolvedPath: String?
    /// `lstat`'s size in bytes: only an early, cheap refusal. The cap that counts is on the bytes read.
    public var size: Int64?
    /// `lstat`'s device and inode, which the read step compares with `fstat` of the descriptor it opened.
    public var identity: FileIdentity?
    /// `lstat`'s count of hard links to the file.
    public var linkCount: UInt64?

    public init(
        requestedPath: String,
        pathProblem: String? = nil,
        absolutePath: String? = nil,
        symlinkInPath: String? = nil,
        isSymlink: Bool = false,
        nodeType: NodeType? = nil,
        resolvedPath: String? = nil,
        size: Int64? = nil,
        identity: FileIdentity? = nil,
        linkCount: UInt64? = nil
    ) {
        self.requestedPath = requestedPath
        self.pathProblem = pathProblem
        self.absolutePath = absolutePath
        self.symlinkInPath = symlinkInPath
        self.isSymlink = isSymlink
        self.nodeType = nodeType
        self.resolvedPath = resolvedPath
        self.size = size
        self.identity = identity
        self.linkCount = linkCount
    }

    /// Something exists at the path (possibly a dangling symlink).
    public var exists: Bool { nodeType != nil }
    /// The last component is a regular file (not a symlink to one).
    public var isRegular: Bool { nodeType == .regular }
}

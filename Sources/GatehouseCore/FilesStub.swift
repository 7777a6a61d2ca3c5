// TEMPORARY until the file checks land.
public enum FileTypeRules { public static func expectedKinds(forExtension ext: String) -> Set<String>? { [ext] } }

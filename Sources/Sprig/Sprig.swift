import GoTemplate
import Unstructured

/// The sprig v3 template function library (all but `env` and `expandenv`, which would let
/// templates read the renderer's environment) plus Helm's pure functions.
public enum Sprig {
    /// Every function, with randomness and time drawn from the given sources so that
    /// renders can be made reproducible.
    public static func library(entropy: any EntropySource, clock: any ClockSource) -> FunctionLibrary {
        var library = FunctionLibrary()
        let groups: [FunctionLibrary] = [
            stringFunctions(entropy: entropy),
            listFunctions(),
            dictFunctions(),
            mathFunctions(entropy: entropy),
            defaultFunctions(),
            encodingFunctions(),
            pathFunctions(),
            regexFunctions(),
            urlFunctions(),
            semverFunctions(),
            dateFunctions(clock: clock),
            cryptoFunctions(entropy: entropy, clock: clock),
            serializationFunctions(),
        ]
        for group in groups {
            library.merge(group) { _, new in new }
        }
        return library
    }
}

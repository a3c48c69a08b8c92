// Test entry: the in-place lookup of a plain query's parameter, beside the full decoding it stands for.
export { formDecodePairs, isPlainForm, plainFormValue } from "../../../assembly/url/form";

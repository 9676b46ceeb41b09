// transformers.js is configured once per process to read model files from disk only: no Hub downloads, no
// file or browser cache (a cache keyed by path could serve stale files when a directory is replaced), and a
// fetch that refuses, so nothing in the model stack can reach the network even by mistake.
import { env, LogLevel } from "@huggingface/transformers";

let configured = false;

export function useLocalModelsOnly(): typeof env {
  if (configured) return env;
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  // Model directories are passed as absolute paths; "/" keeps them absolute even if one looks like a Hub id.
  env.localModelPath = "/";
  env.useFSCache = false;
  env.useBrowserCache = false;
  env.useWasmCache = false;
  env.fetch = async (input: string | URL) => {
    throw new Error(`network access is disabled for models (attempted ${String(input)})`);
  };
  env.logLevel = LogLevel.ERROR;
  configured = true;
  return env;
}

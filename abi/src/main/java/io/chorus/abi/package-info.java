/** Calls, events and errors decoded by a JSON ABI or the signature table, as the node shows. */
package io.chorus.abi;

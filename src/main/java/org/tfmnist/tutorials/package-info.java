/**
 * The tutorials and the readers' follow-up experiments as plain Java mains, one class each, for
 * {@code java -cp target/tfmnist.jar org.tfmnist.tutorials.CLASS}: each runs the matching {@code
 * tfmnist} subcommand with the same options.
 */
package org.tfmnist.tutorials;

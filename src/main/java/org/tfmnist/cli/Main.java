package org.tfmnist.cli; public class Main { public static void main(String[] a){} }
